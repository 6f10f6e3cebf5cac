package io.concord.workload.als;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.concord.config.SparkSection;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.job.JobConfig;
import io.concord.workload.recsys.GraphDataSection;
import io.concord.workload.recsys.RankingEvalSection;

import java.util.List;
import java.util.stream.Collectors;

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

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 2021L, "run seed (ALS initialisation, the edge-list split)"));

    public AlsConfig {
        seed = PARAMS.longInt("", "seed", seed);
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

        /** The default grid values. */
        private static final List<Integer> RANK = List.of(32, 64);
        private static final List<Double> REG_PARAM = List.of(0.01, 0.1);
        private static final List<Double> ALPHA = List.of(1.0, 10.0);

        /**
         * The {@code als:} keys (docs/ultragcn.md's table is generated from them); the grid keys take a value or a
         * list, each entry checked against the declaration.
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.optionalInteger("rank", grid(RANK), Rule.atLeast(1), "latent factors (a value or a list)"),
                Param.real("regParam", grid(REG_PARAM), Rule.NON_NEGATIVE, "λ, scaled by each user's / item's "
                        + "number of interactions (ALS-WR; a value or a list)"),
                Param.real("alpha", grid(ALPHA), Rule.NON_NEGATIVE,
                        "confidence scale: confidence = 1 + alpha · r (a value or a list)"),
                Param.integer("maxIter", 10, Rule.atLeast(1), "ALS sweeps per fit"),
                Param.integer("numBlocks", 0, Rule.atLeast(0), "user and item blocks (0 = Spark's default "
                        + "parallelism)"));

        private static final String SECTION = "als";

        public Grid {
            rank = rank == null || rank.isEmpty() ? RANK : List.copyOf(rank);
            regParam = regParam == null || regParam.isEmpty() ? REG_PARAM : List.copyOf(regParam);
            alpha = alpha == null || alpha.isEmpty() ? ALPHA : List.copyOf(alpha);
            for (int i = 0; i < rank.size(); i++) {
                PARAMS.integerAt(SECTION + ".rank[" + i + "]", "rank", rank.get(i));
            }
            for (int i = 0; i < regParam.size(); i++) {
                PARAMS.realAt(SECTION + ".regParam[" + i + "]", "regParam", regParam.get(i));
            }
            for (int i = 0; i < alpha.size(); i++) {
                PARAMS.realAt(SECTION + ".alpha[" + i + "]", "alpha", alpha.get(i));
            }
            maxIter = PARAMS.integer(SECTION, "maxIter", maxIter);
            numBlocks = PARAMS.integer(SECTION, "numBlocks", numBlocks);
        }

        /** A grid value as the docs show it: {@code 32, 64}. */
        private static String grid(List<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }

        static Grid defaults() {
            return new Grid(null, null, null, null, null);
        }

        public int size() {
            return rank.size() * regParam.size() * alpha.size();
        }
    }
}
