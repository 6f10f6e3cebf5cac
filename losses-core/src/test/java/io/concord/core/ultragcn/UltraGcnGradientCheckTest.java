package io.concord.core.ultragcn;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.model.StepContext;
import io.concord.core.util.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full UltraGCN objective (positive, β-weighted negatives, item–item loss, L2) against a naive double-precision
 * reference: same loss value, and the model's gradient equals central finite differences of the reference.
 */
class UltraGcnGradientCheckTest {

    private static final long SEED = 20211030L;
    private static final long STEP = 7L;

    @ParameterizedTest(name = "dim={0}, siftPos={1}, itemsPerBucket={2}")
    @CsvSource({"12, false, 4096", "12, true, 4096", "4, false, 2", "16, true, 2"})
    void gradientMatchesFiniteDifferencesOfTheReference(int dim, boolean siftPos, int itemsPerBucket) {
        InteractionGraph graph = TinyGraphs.graph();
        UltraGcnObjective obj = new UltraGcnObjective(dim, 0.5, 0.3, 0.7, 0.2, 0.9, 5, 3.0, 0.01, 0.5, 3, siftPos);
        UltraGcnModel model = UltraGcnModel.forGraph(graph, obj, itemsPerBucket);
        ReferenceObjective ref = new ReferenceObjective(TinyGraphs.dense(graph.train()), obj);

        float[] params = new float[model.numParams()];
        SplittableRandom init = new SplittableRandom(3);
        for (int p = 0; p < params.length; p++) {
            params[p] = (float) (0.6 * Seeds.gaussian(init));
        }
        // a duplicated user, a duplicated positive, the single-item user
        int[] users = {0, 1, 1, 3, 4, 2, 0};
        int[] items = {2, 4, 4, 6, 6, 5, 0};
        List<Interaction> batch = new java.util.ArrayList<>();
        for (int b = 0; b < users.length; b++) {
            batch.add(new Interaction(users[b], items[b]));
        }

        float[] grad = new float[params.length];
        BatchLoss loss = model.accumulateGradient(params, batch, grad, SimpleStepContext.of(SEED, STEP));
        double reg = model.regularize(params, grad);
        assertThat(loss.weight()).isEqualTo(users.length);

        int[] negatives = referenceNegatives(graph, users, obj.negativeNum(), siftPos);
        if (siftPos) {
            for (int b = 0; b < users.length; b++) {
                for (int t = 0; t < obj.negativeNum(); t++) {
                    assertThat(graph.train().contains(users[b], negatives[b * obj.negativeNum() + t])).isFalse();
                }
            }
        }
        double[] p = new double[params.length];
        for (int q = 0; q < p.length; q++) {
            p[q] = params[q];
        }
        double refLoss = ref.loss(p, users, items, negatives);
        assertThat(loss.lossSum() + reg).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-5 * refLoss));

        double h = 1e-5;
        double maxErr = 0;
        for (int q = 0; q < p.length; q++) {
            double keep = p[q];
            p[q] = keep + h;
            double up = ref.loss(p, users, items, negatives);
            p[q] = keep - h;
            double down = ref.loss(p, users, items, negatives);
            p[q] = keep;
            double fd = (up - down) / (2 * h);
            double err = Math.abs(fd - grad[q]) / (1e-3 + Math.abs(fd));
            maxErr = Math.max(maxErr, err);
            assertThat(err).as("parameter %d: model %s vs finite difference %s", q, grad[q], fd).isLessThan(2e-4);
        }
        assertThat(maxErr).isLessThan(2e-4);
    }

    /**
     * The documented draw order, re-stated: one stream {@code StepContext.stream(seed, step, partition)}, positive by
     * positive, {@code nextInt(numItems)} per negative, redrawn while in the user's train set when sifting.
     */
    private static int[] referenceNegatives(InteractionGraph graph, int[] users, int r, boolean siftPos) {
        SplittableRandom random = StepContext.stream(SEED, STEP, 0);
        int[] out = new int[users.length * r];
        for (int b = 0; b < users.length; b++) {
            for (int t = 0; t < r; t++) {
                int j;
                do {
                    j = random.nextInt(graph.numItems());
                } while (siftPos && graph.train().contains(users[b], j));
                out[b * r + t] = j;
            }
        }
        return out;
    }
}
