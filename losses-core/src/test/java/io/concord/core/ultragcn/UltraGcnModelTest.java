package io.concord.core.ultragcn;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.SimpleStepContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class UltraGcnModelTest {

    private static final UltraGcnObjective OBJ =
            new UltraGcnObjective(16, 0.3, 1e-6, 1, 1e-6, 1, 40, 30, 1e-3, 0.2, 3, false);

    /** A random graph big enough for several kernel buckets. */
    private static InteractionGraph randomGraph() {
        SplittableRandom r = new SplittableRandom(4);
        int users = 30;
        int items = 200;
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = r.ints(3 + r.nextInt(10), 0, items).distinct().sorted().toArray();
        }
        Adjacency train = TinyGraphs.adjacency(rows, items);
        return new InteractionGraph(train, Adjacency.empty(users, items));
    }

    private static List<Interaction> batch(InteractionGraph g, int n, long seed) {
        List<Interaction> all = g.trainInteractions();
        SplittableRandom r = new SplittableRandom(seed);
        List<Interaction> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            out.add(all.get(r.nextInt(all.size())));
        }
        return out;
    }

    @Test
    void layoutAndInitialisation() {
        InteractionGraph g = randomGraph();
        UltraGcnModel m = UltraGcnModel.forGraph(g, OBJ);
        assertThat(m.numParams()).isEqualTo((30 + 200) * 16);
        assertThat(m.itemOffset(0)).isEqualTo(30 * 16);
        assertThat(m.reduction()).isEqualTo(Model.Reduction.SUM);
        float[] a = new float[m.numParams()];
        float[] b = new float[m.numParams()];
        m.initParams(a, 1);
        m.initParams(b, 1);
        assertThat(a).containsExactly(b);
        double sq = 0;
        for (float x : a) {
            sq += x * x;
        }
        assertThat(Math.sqrt(sq / a.length)).isCloseTo(0.3, offset(0.01));
    }

    @Test
    void bucketSizeChangesOnlyTheSummationOrder() {
        InteractionGraph g = randomGraph();
        float[] params = new float[(30 + 200) * 16];
        UltraGcnModel.forGraph(g, OBJ).initParams(params, 2);
        List<Interaction> batch = batch(g, 25, 3);
        float[] reference = null;
        double referenceLoss = 0;
        for (int bucket : new int[]{0, 1, 8, 64, 1024}) {
            UltraGcnModel m = UltraGcnModel.forGraph(g, OBJ, bucket);
            float[] grad = new float[params.length];
            BatchLoss loss = m.accumulateGradient(params, batch, grad, SimpleStepContext.of(9, 4));
            if (reference == null) {
                reference = grad;
                referenceLoss = loss.lossSum();
            } else {
                for (int p = 0; p < grad.length; p++) {
                    assertThat(grad[p]).as("bucket %d param %d", bucket, p)
                            .isCloseTo(reference[p], offset(1e-6f + 1e-5f * Math.abs(reference[p])));
                }
                assertThat(loss.lossSum()).isCloseTo(referenceLoss, offset(1e-6 * referenceLoss));
            }
        }
    }

    @Test
    void negativesComeOnlyFromTheStepContext() {
        InteractionGraph g = randomGraph();
        UltraGcnModel m = UltraGcnModel.forGraph(g, OBJ);
        float[] params = new float[m.numParams()];
        m.initParams(params, 5);
        List<Interaction> batch = batch(g, 10, 1);
        float[] g1 = new float[params.length];
        float[] g2 = new float[params.length];
        float[] g3 = new float[params.length];
        m.accumulateGradient(params, batch, g1, SimpleStepContext.of(1, 10));
        m.accumulateGradient(params, batch, g2, SimpleStepContext.of(1, 10));
        m.accumulateGradient(params, batch, g3, SimpleStepContext.of(1, 11));
        assertThat(g2).containsExactly(g1);
        assertThat(g3).isNotEqualTo(g1);
    }

    @Test
    void gradientsAddIntoTheBufferAndBatchesSplitAdditively() {
        InteractionGraph g = randomGraph();
        UltraGcnObjective noNegatives = new UltraGcnObjective(16, 0.3, 0.5, 1, 0, 0, 1, 0, 0, 0.2, 3, false);
        UltraGcnModel m = UltraGcnModel.forGraph(g, noNegatives);
        float[] params = new float[m.numParams()];
        m.initParams(params, 5);
        List<Interaction> batch = batch(g, 12, 2);
        float[] whole = new float[params.length];
        BatchLoss lw = m.accumulateGradient(params, batch, whole, SimpleStepContext.of(1, 1));
        float[] split = new float[params.length];
        BatchLoss l1 = m.accumulateGradient(params, batch.subList(0, 5), split, SimpleStepContext.of(1, 1));
        BatchLoss l2 = m.accumulateGradient(params, batch.subList(5, 12), split, SimpleStepContext.of(1, 2));
        for (int p = 0; p < whole.length; p++) {
            assertThat(split[p]).isCloseTo(whole[p], offset(1e-7f + 1e-6f * Math.abs(whole[p])));
        }
        assertThat(l1.lossSum() + l2.lossSum()).isCloseTo(lw.lossSum(), offset(1e-9));
        assertThat(l1.weight() + l2.weight()).isEqualTo(12.0);
    }

    @Test
    void regularizerIsGammaHalfSquaredNormOverAllParameters() {
        UltraGcnModel m = UltraGcnModel.forGraph(TinyGraphs.graph(), OBJ.withEmbeddingDim(2));
        float[] params = new float[m.numParams()];
        params[0] = 2f;
        params[params.length - 1] = -3f;
        float[] grad = new float[params.length];
        grad[0] = 1f;
        double value = m.regularize(params, grad);
        assertThat(value).isCloseTo(1e-3 * 0.5 * 13, offset(1e-15));
        assertThat(grad[0]).isEqualTo(1f + 1e-3f * 2f);
        assertThat(grad[params.length - 1]).isEqualTo(1e-3f * -3f);
        assertThat(grad[1]).isZero();
    }

    /** What {@code l2Coefficient} promises the optimizer: the regulariser adds exactly {@code c·θ} in float. */
    @Test
    void theDeclaredL2CoefficientIsWhatTheRegulariserAdds() {
        UltraGcnModel m = UltraGcnModel.forGraph(randomGraph(), OBJ);
        float[] params = new float[m.numParams()];
        m.initParams(params, 3);
        SplittableRandom r = new SplittableRandom(9);
        float[] grad = new float[params.length];
        for (int p = 0; p < grad.length; p++) {
            grad[p] = (float) r.nextGaussian();
        }
        float[] expected = grad.clone();
        float c = m.l2Coefficient();
        assertThat(c).isEqualTo((float) OBJ.gamma());
        for (int p = 0; p < grad.length; p++) {
            expected[p] += c * params[p];
        }
        m.regularize(params, grad);
        assertThat(grad).containsExactly(expected);
        assertThat(UltraGcnModel.forGraph(randomGraph(), OBJ.withGamma(0)).l2Coefficient()).isNaN();
    }

    @Test
    void regularizerSlicesAddExactlyTheWholeGradient() {
        UltraGcnModel m = UltraGcnModel.forGraph(randomGraph(), OBJ);
        float[] params = new float[m.numParams()];
        m.initParams(params, 3);
        float[] base = new float[params.length];
        SplittableRandom r = new SplittableRandom(5);
        for (int p = 0; p < base.length; p++) {
            base[p] = (float) r.nextGaussian();
        }
        float[] whole = base.clone();
        double value = m.regularize(params, whole);
        int[] cuts = {0, 7, params.length / 2, params.length - 1, params.length};
        float[] sliced = base.clone();
        for (int c = 0; c + 1 < cuts.length; c++) {
            double v = m.regularizeSlice(params, sliced, cuts[c], cuts[c + 1], c == 1);
            if (c == 1) {
                assertThat(v).isEqualTo(value);
            }
        }
        assertThat(sliced).isEqualTo(whole);
        assertThat(whole).isNotEqualTo(base);
    }

    /**
     * The regulariser's value is the sum of its chunk parts in chunk order, bit for bit, and γ·½‖θ‖² (float squares)
     * to double rounding; the chunks that start in each owner's slice cover every chunk once.
     */
    @Test
    void regularizerValueIsTheSumOfItsChunkParts() {
        UltraGcnObjective obj = new UltraGcnObjective(16, 0.3, 1e-6, 1, 1e-6, 1, 40, 30, 1e-2, 0.2, 3, false);
        int users = 10_000;
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = new int[] {u % 10};
        }
        UltraGcnModel m = UltraGcnModel.forGraph(new InteractionGraph(TinyGraphs.adjacency(rows, 10),
                Adjacency.empty(users, 10)), obj);
        float[] params = new float[m.numParams()];
        m.initParams(params, 11);
        for (int p = 0; p < params.length; p += 3) {
            params[p] *= 1e3f;
        }
        int chunk = m.regularizerChunk();
        int chunks = (params.length + chunk - 1) / chunk;
        assertThat(chunks).isGreaterThan(2);
        double[] parts = new double[chunks];
        int[] cuts = {0, chunk - 1, chunk + 5, 2 * chunk, params.length};
        int next = 0;
        for (int c = 0; c + 1 < cuts.length; c++) {
            for (int k = (cuts[c] + chunk - 1) / chunk; k < (cuts[c + 1] + chunk - 1) / chunk; k++) {
                assertThat(k).isEqualTo(next++);
                parts[k] = m.regularizerPart(params, k);
            }
        }
        assertThat(next).isEqualTo(chunks);
        double value = m.regularize(params, new float[params.length]);
        assertThat(m.regularizerValue(parts)).isEqualTo(value);
        double naive = 0.0;
        for (float x : params) {
            naive += x * x; // squared in float, as the official code's float tensors are
        }
        assertThat(value).isCloseTo(0.5 * 1e-2 * naive, org.assertj.core.data.Percentage.withPercentage(1e-9));
    }

    @Test
    void oneInstanceServesConcurrentThreads() throws Exception {
        InteractionGraph g = randomGraph();
        UltraGcnModel m = UltraGcnModel.forGraph(g, OBJ);
        float[] params = new float[m.numParams()];
        m.initParams(params, 8);
        List<List<Interaction>> batches = new ArrayList<>();
        List<float[]> serial = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<Interaction> b = batch(g, 20 + 7 * t, t);
            batches.add(b);
            float[] grad = new float[params.length];
            m.accumulateGradient(params, b, grad, SimpleStepContext.of(3, t));
            serial.add(grad);
        }
        UltraGcnModel shared = UltraGcnModel.forGraph(g, OBJ);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int step = t;
                futures.add(pool.submit(() -> {
                    float[] grad = new float[params.length];
                    for (int rep = 0; rep < 20; rep++) {
                        java.util.Arrays.fill(grad, 0f);
                        shared.accumulateGradient(params, batches.get(step), grad, SimpleStepContext.of(3, step));
                    }
                    return grad;
                }));
            }
            for (int t = 0; t < 4; t++) {
                assertThat(futures.get(t).get()).containsExactly(serial.get(t));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void javaSerializedCopyComputesTheSameGradient() throws Exception {
        InteractionGraph g = randomGraph();
        UltraGcnModel m = UltraGcnModel.forGraph(g, OBJ.withNegativeNum(7));
        float[] params = new float[m.numParams()];
        m.initParams(params, 3);
        List<Interaction> batch = batch(g, 9, 4);
        float[] before = new float[params.length];
        m.accumulateGradient(params, batch, before, SimpleStepContext.of(5, 5));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        UltraGcnModel copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (UltraGcnModel) in.readObject();
        }
        float[] after = new float[params.length];
        copy.accumulateGradient(params, batch, after, SimpleStepContext.of(5, 5));
        assertThat(after).containsExactly(before);
    }

    @Test
    void rejectsIdsOutsideTheGraphAndInconsistentTables() {
        UltraGcnModel m = UltraGcnModel.forGraph(TinyGraphs.graph(), OBJ);
        float[] params = new float[m.numParams()];
        assertThatThrownBy(() -> m.accumulateGradient(params, List.of(new Interaction(5, 0)), new float[params.length],
                SimpleStepContext.of(1, 1))).hasMessageContaining("(5, 0) outside 5 users × 8 items");
        InteractionGraph g = TinyGraphs.graph();
        assertThatThrownBy(() -> new UltraGcnModel(5, 8, OBJ, DegreeWeights.fromTrain(g.train()),
                ItemNeighbourBuilder.computeAll(g.train(), 2), g.train()))
                .hasMessageContaining("ultragcn.ii_neighbor_num is 3 but the neighbour table has k = 2");
        UltraGcnObjective sift = new UltraGcnObjective(4, 0.1, 0, 1, 0, 1, 2, 1, 0, 0, 0, true);
        assertThatThrownBy(() -> new UltraGcnModel(5, 8, sift, DegreeWeights.fromTrain(g.train()),
                ItemNeighbours.none(8), null)).hasMessageContaining("ultragcn.sampling_sift_pos");
    }
}
