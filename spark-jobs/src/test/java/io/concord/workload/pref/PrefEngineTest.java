package io.concord.workload.pref;

import io.concord.testing.LocalSpark;
import io.concord.core.model.BatchLoss;
import io.concord.core.optim.Sgd;
import io.concord.core.pref.AftLoss;
import io.concord.core.pref.DpoLoss;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.RankedResponses;
import io.concord.core.util.Seeds;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.metrics.RunMetrics;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Preference training through the Concord engine equals its single-machine definition: a DPO round over four
 * partitions makes the same update as one machine computing the loss and gradient of the union batch, and the logged
 * loss is the DPO loss of that union computed from the language model's log-probabilities by hand.
 */
class PrefEngineTest {

    private static final int PARTITIONS = 4;
    private static final long SEED = 20260601L;
    private static final GruLanguageModel LM = new GruLanguageModel(9, 6, 1, 0, 1);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(PARTITIONS);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static int[] tokens(SplittableRandom r, int min, int max) {
        return r.ints(min + r.nextInt(max - min + 1), 2, LM.vocabSize()).toArray();
    }

    static List<PreferencePair> pairs(int n, long seed) {
        SplittableRandom r = Seeds.stream(seed, 1);
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(tokens(r, 0, 4), tokens(r, 1, 6), tokens(r, 1, 6)));
        }
        return out;
    }

    private static float[] params(long seed, float scale) {
        float[] p = new float[LM.numParams()];
        LM.initParams(p, seed);
        for (int i = 0; i < p.length; i++) {
            p[i] *= scale;
        }
        return p;
    }

    private static <R> List<Shard<R>> collect(JavaRDD<Shard<R>> shards) {
        List<Shard<R>> list = new ArrayList<>(shards.collect());
        list.sort(Comparator.comparingInt(Shard::partition));
        return list;
    }

    @Test
    void dpoRoundsOverPartitionsEqualOneMachineOnTheUnionBatch() {
        List<PreferencePair> data = pairs(13, SEED);
        float[] reference = params(7, 3f);
        double beta = 0.5;
        PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM, new DpoLoss(beta, 0.0), List.of(reference));
        Sgd sgd = Sgd.plain(0.3);
        int rounds = 3;
        EngineConfig config = EngineConfig.defaults().withRounds(rounds).withBatchSize(2);
        JavaRDD<Shard<PreferencePair>> shards = Sharding.shard(sc.parallelize(data, 3), PARTITIONS, SEED,
                StorageLevel.MEMORY_AND_DISK_SER());
        StartFrom<PreferencePair> start = new StartFrom<>(model, params(8, 3f));
        TrainingEngine<PreferencePair> engine = new TrainingEngine<>(sc, start, sgd, config, StatisticSet.empty(),
                SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] single = state.params().clone();
        List<RoundSummary> summaries = new ArrayList<>();
        engine.train(shards, state, (s, summary) -> {
            summaries.add(summary);
            return RoundListener.Decision.CONTINUE;
        }, null);

        List<Shard<PreferencePair>> local = collect(shards);
        for (int t = 0; t < rounds; t++) {
            List<PreferencePair> union = new ArrayList<>();
            for (Shard<PreferencePair> shard : local) {
                union.addAll(engine.work().plan().batch(shard, t));
            }
            assertThat(union).hasSize(PARTITIONS * 2);
            double[] grad = new double[single.length];
            BatchLoss loss = model.lossAndGradient(GruLanguageModel.widen(single), union, grad);
            // round 0 starts from identical parameters, so the loss agrees to double rounding; later rounds start
            // from parameters that differ by float rounding of the summed gradients
            assertThat(summaries.get(t).loss()).as("round %d loss", t)
                    .isCloseTo(dpoByHand(union, single, reference, beta), within(t == 0 ? 1e-9 : 1e-6));
            assertThat(loss.weight()).isEqualTo(union.size());
            float[] g = new float[grad.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (grad[i] / loss.weight());
            }
            sgd.step(single, g, new float[0], t + 1);
        }
        assertClose(state.params(), single, 1e-5);
        assertThat(maxAbsDiff(state.params(), params(8, 3f))).isGreaterThan(1e-3);
    }

    @Test
    void aftGroupsTrainWholeThroughTheEngine() {
        SplittableRandom r = Seeds.stream(SEED, 2);
        List<RankedResponses> groups = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int k = 2 + r.nextInt(3);
            int[][] responses = new int[k][];
            double[] scores = new double[k];
            for (int j = 0; j < k; j++) {
                responses[j] = tokens(r, 1, 5);
                scores[j] = j == 0 || r.nextBoolean() ? 1 : 0;
            }
            groups.add(new RankedResponses(tokens(r, 0, 3), responses, scores));
        }
        PreferenceModel<RankedResponses> model = new PreferenceModel<>(LM, new AftLoss(AftLoss.Variant.BC, 0.3, true,
                0.5), List.of());
        Sgd sgd = Sgd.plain(0.2);
        EngineConfig config = EngineConfig.defaults().withRounds(2).withBatchSize(0);
        JavaRDD<Shard<RankedResponses>> shards = Sharding.shard(sc.parallelize(groups, 2), PARTITIONS, SEED,
                StorageLevel.MEMORY_AND_DISK_SER());
        TrainingEngine<RankedResponses> engine = new TrainingEngine<>(sc, model, sgd, config, StatisticSet.empty(),
                SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] single = state.params().clone();
        engine.train(shards, state, RoundListener.NONE, null);
        for (int t = 0; t < 2; t++) {
            double[] grad = new double[single.length];
            BatchLoss loss = model.lossAndGradient(GruLanguageModel.widen(single), groups, grad);
            float[] g = new float[grad.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (grad[i] / loss.weight());
            }
            sgd.step(single, g, new float[0], t + 1);
        }
        assertClose(state.params(), single, 1e-5);
    }

    /** Mean over pairs of −log σ(β·((lp_w − lpr_w) − (lp_l − lpr_l))), from summed completion log-probabilities. */
    private static double dpoByHand(List<PreferencePair> pairs, float[] policy, float[] reference, double beta) {
        double sum = 0;
        for (PreferencePair p : pairs) {
            List<PromptCompletion> seqs = List.of(p.sequence(0), p.sequence(1));
            double[] lp = LM.logProbs(policy, seqs);
            double[] lpr = LM.logProbs(reference, seqs);
            double z = beta * ((lp[0] - lpr[0]) - (lp[1] - lpr[1]));
            sum += Math.log1p(Math.exp(-z));
        }
        return sum / pairs.size();
    }

    static void assertClose(float[] actual, float[] expected, double tolerance) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(maxAbsDiff(actual, expected) / scale).isCloseTo(0.0, within(tolerance));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
