package io.concord.core.ultragcn.bench;

import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.core.ultragcn.DegreeWeights;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NegativeKernel;
import io.concord.core.ultragcn.NegativeTermKernel;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;
import io.concord.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH: one Gowalla-shaped UltraGCN batch (official preset: 512 positives × 1500 negatives, dim 64, 10 item–item
 * neighbours, 29,858 users × 40,981 items) through {@link UltraGcnModel#accumulateGradient} (sampling included; the
 * SIMD kernel where the Vector API is available), the negative terms alone with the scalar and the SIMD kernel, the
 * dense per-step part (L2 + Adam over all 4.5M parameters), and an fp32 GEMM peak reference (1024³ ND4J sgemm,
 * one OpenMP thread per benchmark thread). Scope.Thread: with {@code -t 2} each thread owns a model copy, like two
 * executor cores. Run through {@link UltraGcnKernelBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-modules=jdk.incubator.vector"})
public class UltraGcnKernelJmh {

    static final int USERS = 29_858;
    static final int ITEMS = 40_981;
    static final UltraGcnPreset PRESET = UltraGcnPreset.GOWALLA;

    /** Model, parameters and pre-drawn positive batches. */
    @State(Scope.Thread)
    public static class Batches {
        UltraGcnModel model;
        float[] params;
        float[] grad;
        List<List<Interaction>> batches;
        long step;

        @Setup(Level.Trial)
        public void setUp() {
            UltraGcnObjective obj = PRESET.objective();
            SplittableRandom r = new SplittableRandom(7);
            int[] userDeg = new int[USERS];
            int[] itemDeg = new int[ITEMS];
            for (int u = 0; u < USERS; u++) {
                userDeg[u] = 1 + r.nextInt(54);
            }
            for (int i = 0; i < ITEMS; i++) {
                itemDeg[i] = 1 + r.nextInt(39);
            }
            int k = obj.iiNeighborNum();
            int[] nb = new int[ITEMS * k];
            float[] w = new float[ITEMS * k];
            for (int p = 0; p < nb.length; p++) {
                nb[p] = r.nextInt(ITEMS);
                w[p] = (float) (0.01 * r.nextDouble());
            }
            model = new UltraGcnModel(USERS, ITEMS, obj, DegreeWeights.fromDegrees(userDeg, itemDeg),
                    new ItemNeighbours(ITEMS, k, nb, w), null);
            params = new float[model.numParams()];
            // trained-like magnitudes so σ is not saturated at 1/2
            for (int p = 0; p < params.length; p++) {
                params[p] = (float) (0.15 * Seeds.gaussian(r));
            }
            grad = new float[params.length];
            batches = new ArrayList<>();
            for (int b = 0; b < 16; b++) {
                List<Interaction> batch = new ArrayList<>();
                for (int t = 0; t < PRESET.batchSize(); t++) {
                    batch.add(new Interaction(r.nextInt(USERS), r.nextInt(ITEMS)));
                }
                batches.add(batch);
            }
        }
    }

    /** Dense per-step work: γθ into the gradient and one Adam step over every parameter. */
    @State(Scope.Thread)
    public static class Dense {
        UltraGcnModel model;
        float[] params;
        float[] grad;
        float[] state;
        Adam adam;
        long t;

        @Setup(Level.Trial)
        public void setUp() {
            Batches b = new Batches();
            b.setUp();
            model = b.model;
            params = b.params;
            grad = new float[params.length];
            adam = Adam.adam(PRESET.learningRate());
            state = new float[adam.stateSize(params.length)];
        }
    }

    /**
     * The negative terms alone, one Gowalla batch (512 rows × 1500 negatives) pre-sampled: the scalar reference
     * kernel and the SIMD kernel on identical inputs.
     */
    @State(Scope.Thread)
    public static class Kernels {
        NegativeKernel scalar;
        NegativeTermKernel vector;
        float[] params;
        float[] grad;
        int[] users;
        float[] userRows;
        float[] userGrad;
        int[][] negatives;
        int rows;
        int r;
        float scale;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            Batches b = new Batches();
            b.setUp();
            params = b.params;
            grad = new float[params.length];
            UltraGcnObjective obj = PRESET.objective();
            r = obj.negativeNum();
            rows = PRESET.batchSize();
            scale = (float) (obj.negativeWeight() / r);
            SplittableRandom random = new SplittableRandom(13);
            int[] userDeg = new int[USERS];
            int[] itemDeg = new int[ITEMS];
            for (int u = 0; u < USERS; u++) {
                userDeg[u] = 1 + random.nextInt(54);
            }
            for (int i = 0; i < ITEMS; i++) {
                itemDeg[i] = 1 + random.nextInt(39);
            }
            DegreeWeights w = DegreeWeights.fromDegrees(userDeg, itemDeg);
            int dim = obj.embeddingDim();
            scalar = new NegativeKernel(dim, USERS, ITEMS, obj.w3(), obj.w4(), w);
            vector = NegativeTermKernel.create(dim, USERS, ITEMS, obj.w3(), obj.w4(), w, 0);
            users = new int[rows];
            userRows = new float[rows * dim];
            userGrad = new float[rows * dim];
            for (int t = 0; t < rows; t++) {
                users[t] = random.nextInt(USERS);
                System.arraycopy(params, users[t] * dim, userRows, t * dim, dim);
            }
            negatives = new int[4][rows * r];
            for (int[] n : negatives) {
                for (int t = 0; t < n.length; t++) {
                    n[t] = random.nextInt(ITEMS);
                }
            }
        }

        double run(NegativeTermKernel kernel) {
            return kernel.accumulate(params, grad, users, rows, userRows, userGrad, negatives[next++ & 3], r, scale);
        }
    }

    /** Square fp32 GEMM operands. */
    @State(Scope.Thread)
    public static class Gemm {
        static final int N = 1024;
        INDArray a;
        INDArray b;
        INDArray c;

        @Setup(Level.Trial)
        public void setUp() {
            Nd4j.getRandom().setSeed(1);
            a = Nd4j.rand(DataType.FLOAT, N, N);
            b = Nd4j.rand(DataType.FLOAT, N, N);
            c = Nd4j.create(DataType.FLOAT, N, N);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
            c.close();
        }
    }

    @Benchmark
    public double negativesScalar(Kernels k) {
        return k.run(k.scalar);
    }

    @Benchmark
    public double negativesVector(Kernels k) {
        return k.run(k.vector);
    }

    @Benchmark
    public double gowallaBatch(Batches s) {
        List<Interaction> batch = s.batches.get((int) (s.step & 15));
        return s.model.accumulateGradient(s.params, batch, s.grad, SimpleStepContext.of(11, s.step++)).lossSum();
    }

    @Benchmark
    public double denseL2AndAdamStep(Dense s) {
        java.util.Arrays.fill(s.grad, 0f);
        double reg = s.model.regularize(s.params, s.grad);
        s.adam.step(s.params, s.grad, s.state, ++s.t);
        return reg;
    }

    /**
     * The same update as the engine runs it since the model declares its L2 ({@code Model#l2Coefficient}): Adam adds
     * γθ in its own pass ({@code Optimizer#stepSliceWithL2}), bit-identical, one read and one write of the gradient
     * fewer.
     */
    @Benchmark
    public float denseFusedL2AndAdamStep(Dense s) {
        java.util.Arrays.fill(s.grad, 0f);
        s.adam.stepSliceWithL2(s.params, s.grad, 0, s.params.length, s.state, ++s.t, s.model.l2Coefficient());
        return s.params[0];
    }

    @Benchmark
    public INDArray gemm1024(Gemm g) {
        return Nd4j.gemm(g.a, g.b, g.c, false, false, 1.0, 0.0);
    }
}
