package io.concord.workload.als;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.concord.config.ConfigException;
import io.concord.config.SparkSection;
import io.concord.job.JobConfig;
import io.concord.workload.recsys.GraphDataSection;
import io.concord.workload.recsys.RankingEvalSection;

import java.util.List;

/**
 * Config of the {@code als} job: Spark MLlib ALS with implicit preferences on the same graphs and with the same
 * full-ranking evaluation as {@code ultragcn}, over a small grid.
 *
 * @param seed  run seed (ALS initialisation, the edge-list split)
 * @param spark Spark section
 * @param data  the interaction graph (same section as {@code ultragcn})
 * @param als   the grid and the solver settings
 * @param eval  evaluation ({@code k}, {@code averaging}, {@code metric} selects the best grid point;
 *              {@code every}/{@code patience}/{@code official} do not apply)
 */
public record AlsConfig(Long seed, SparkSection spark, GraphDataSection data, Grid als, RankingEvalSection eval)
        implements JobConfig {

    public AlsConfig {
        seed = seed == null ? 2021L : seed;
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? GraphDataSection.defaults() : data;
        als = als == null ? Grid.defaults() : als;
        eval = eval == null ? RankingEvalSection.defaults() : eval;
    }

    /**
     * Grid values (a single value or a list each); every combination is trained.
     *
     * @param rank      latent factors
     * @param regParam  λ (Spark scales it by each user's / item's number of interactions, ALS-WR)
     * @param alpha     confidence scale: confidence = 1 + alpha · r with r = 1 per observed interaction
     * @param maxIter   ALS sweeps per fit
     * @param numBlocks user and item blocks (0 = Spark's default parallelism)
     */
    public record Grid(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> rank,
                       @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Double> regParam,
                       @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Double> alpha,
                       Integer maxIter, Integer numBlocks) {

        public Grid {
            rank = rank == null || rank.isEmpty() ? List.of(32, 64) : List.copyOf(rank);
            regParam = regParam == null || regParam.isEmpty() ? List.of(0.01, 0.1) : List.copyOf(regParam);
            alpha = alpha == null || alpha.isEmpty() ? List.of(1.0, 10.0) : List.copyOf(alpha);
            for (int r : rank) {
                if (r < 1) {
                    throw new ConfigException("als.rank", r, "integers >= 1");
                }
            }
            for (double l : regParam) {
                if (!(l >= 0) || Double.isInfinite(l)) {
                    throw new ConfigException("als.regParam", l, "numbers >= 0");
                }
            }
            for (double a : alpha) {
                if (!(a >= 0) || Double.isInfinite(a)) {
                    throw new ConfigException("als.alpha", a, "numbers >= 0");
                }
            }
            maxIter = maxIter == null ? 10 : maxIter;
            if (maxIter < 1) {
                throw new ConfigException("als.maxIter", maxIter, "an integer >= 1");
            }
            numBlocks = numBlocks == null ? 0 : numBlocks;
            if (numBlocks < 0) {
                throw new ConfigException("als.numBlocks", numBlocks, "an integer >= 0 (0 = default parallelism)");
            }
        }

        static Grid defaults() {
            return new Grid(null, null, null, null, null);
        }

        public int size() {
            return rank.size() * regParam.size() * alpha.size();
        }
    }
}
