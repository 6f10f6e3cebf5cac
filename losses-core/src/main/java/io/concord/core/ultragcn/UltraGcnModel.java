package io.concord.core.ultragcn;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;
import io.concord.core.util.Seeds;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * UltraGCN (Mao et al., CIKM 2021) as the official code computes it (reference §1): a plain dot-product model over
 * user and item embeddings trained on positive pairs with
 * <pre>
 *   loss(batch) = Σ_{(u,i)} [ pos_w(u,i)·softplus(−e_u·e_i)
 *                             + negative_weight/R · Σ_{j=1..R} neg_w(u,j)·softplus(e_u·e_j)
 *                             + λ · Σ_{j ∈ S(i)} ω(i,j)·softplus(−e_u·e_j) ]
 *   + γ · ½‖θ‖²   (once per optimizer step, over ALL parameters: {@link #regularize})
 * </pre>
 * with {@code pos_w = w1 + w2·β(u,i)} (w1 alone unless w2 > 0), {@code neg_w = w3 + w4·β(u,j)} (w3 alone unless
 * w4 > 0), {@code softplus(x) = −log σ(−x)}, R uniform negatives per positive drawn with replacement from
 * {@link StepContext#random()} (official order: positive by positive), and the item–item table {@code S(i), ω} of
 * {@link ItemNeighbourBuilder}. Reduction is {@link Model.Reduction#SUM}, as in the official code; the optimizer is
 * Adam with PyTorch defaults.
 *
 * <p>Parameter layout: {@code [user embeddings (numUsers × dim), item embeddings (numItems × dim)]}, row-major.
 *
 * <p>Instances are immutable and thread-safe (per-thread scratch), so one broadcast copy can serve every task of an
 * executor.
 */
public final class UltraGcnModel implements Model<Interaction> {

    private static final long serialVersionUID = 1L;
    /** Elements per part of the regulariser's value ({@link #regularizerChunk}). */
    private static final int REGULARIZER_CHUNK = 1 << 16;

    private final int numUsers;
    private final int numItems;
    private final int dim;
    private final double initialWeight;
    private final float w1;
    private final float w2;
    private final double w3;
    private final double w4;
    private final int negativeNum;
    private final float negativeScale;
    private final double gamma;
    private final float lambda;
    private final DegreeWeights weights;
    private final ItemNeighbours neighbours;
    private final Adjacency excluded;
    private final int itemsPerBucket;
    private final UltraGcnObjective objective;
    /** Item scores of {@link PopularityStart} added to the normal start; null: the official normal start. */
    private final double[] startLogits;

    private transient volatile ThreadLocal<Workspace> workspace;

    /**
     * @param numUsers   number of users (rows of the user table)
     * @param numItems   number of items
     * @param objective  hyperparameters
     * @param weights    β tables from TRAIN degrees ({@link DegreeWeights#fromTrain})
     * @param neighbours item–item table with {@code k = objective.iiNeighborNum()} (may be {@link
     *                   ItemNeighbours#none} when λ = 0)
     * @param train      the user × item train matrix, read only when {@code samplingSiftPos}; may be null otherwise
     */
    public UltraGcnModel(int numUsers, int numItems, UltraGcnObjective objective, DegreeWeights weights,
                         ItemNeighbours neighbours, Adjacency train) {
        this(numUsers, numItems, objective, weights, neighbours, train, 0);
    }

    /** As above with the kernel's item bucket size fixed (0: the cache-sized default); for tests and benchmarks. */
    UltraGcnModel(int numUsers, int numItems, UltraGcnObjective objective, DegreeWeights weights,
                  ItemNeighbours neighbours, Adjacency train, int itemsPerBucket) {
        this(numUsers, numItems, objective, weights, neighbours, train, itemsPerBucket, null);
    }

    private UltraGcnModel(int numUsers, int numItems, UltraGcnObjective objective, DegreeWeights weights,
                          ItemNeighbours neighbours, Adjacency train, int itemsPerBucket, double[] startLogits) {
        if (numUsers <= 0 || numItems <= 0) {
            throw new IllegalArgumentException("need numUsers > 0 and numItems > 0, got " + numUsers + ", "
                    + numItems);
        }
        if ((numUsers + (long) numItems) * objective.embeddingDim() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("(numUsers + numItems) × embedding_dim = "
                    + (numUsers + (long) numItems) * objective.embeddingDim()
                    + " parameters do not fit one Java array");
        }
        if (weights.numUsers() != numUsers || weights.numItems() != numItems) {
            throw new IllegalArgumentException("β tables are " + weights.numUsers() + " users × " + weights.numItems()
                    + " items, expected " + numUsers + " × " + numItems);
        }
        if (neighbours.numItems() != numItems) {
            throw new IllegalArgumentException("neighbour table covers " + neighbours.numItems() + " items, expected "
                    + numItems);
        }
        if (objective.lambda() > 0 && neighbours.k() != objective.iiNeighborNum()) {
            throw new IllegalArgumentException("ultragcn.ii_neighbor_num is " + objective.iiNeighborNum()
                    + " but the neighbour table has k = " + neighbours.k());
        }
        if (objective.samplingSiftPos() && (train == null || train.numRows() != numUsers
                || train.numColumns() != numItems)) {
            throw new IllegalArgumentException("ultragcn.sampling_sift_pos needs the " + numUsers + " × " + numItems
                    + " train matrix");
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.dim = objective.embeddingDim();
        this.initialWeight = objective.initialWeight();
        this.w1 = (float) objective.w1();
        this.w2 = objective.w2() > 0 ? (float) objective.w2() : 0f;
        this.w3 = objective.w3();
        this.w4 = objective.w4();
        this.negativeNum = objective.negativeNum();
        this.negativeScale = (float) (objective.negativeWeight() / objective.negativeNum());
        this.gamma = objective.gamma();
        this.lambda = (float) objective.lambda();
        this.weights = weights;
        this.neighbours = objective.lambda() > 0 ? neighbours : ItemNeighbours.none(numItems);
        this.excluded = objective.samplingSiftPos() ? train : null;
        this.itemsPerBucket = itemsPerBucket;
        if (startLogits != null && startLogits.length != numItems) {
            throw new IllegalArgumentException("start scores cover " + startLogits.length + " items, expected "
                    + numItems);
        }
        this.startLogits = startLogits;
        this.objective = objective;
    }

    /**
     * The same model started at the popularity solution ({@link PopularityStart}) of the graph {@code train}: the
     * normal start plus every item's balancing score along one shared direction. The objective is unchanged.
     */
    public UltraGcnModel startingAtPopularity(Adjacency train) {
        double[] logits = PopularityStart.logits(train, weights, neighbours, objective);
        return new UltraGcnModel(numUsers, numItems, objective, weights, neighbours, excluded, itemsPerBucket,
                logits);
    }

    /** True when {@link #initParams} starts at the popularity solution. */
    public boolean startsAtPopularity() {
        return startLogits != null;
    }

    /** Convenience: β tables and neighbour table computed here from the graph's train matrix. */
    public static UltraGcnModel forGraph(InteractionGraph graph, UltraGcnObjective objective) {
        return forGraph(graph, objective, 0);
    }

    static UltraGcnModel forGraph(InteractionGraph graph, UltraGcnObjective objective, int itemsPerBucket) {
        Adjacency train = graph.train();
        ItemNeighbours nb = objective.lambda() > 0 && objective.iiNeighborNum() > 0
                ? ItemNeighbourBuilder.computeAll(train, objective.iiNeighborNum())
                : ItemNeighbours.none(graph.numItems());
        return new UltraGcnModel(graph.numUsers(), graph.numItems(), objective, DegreeWeights.fromTrain(train), nb,
                train, itemsPerBucket);
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    public int dim() {
        return dim;
    }

    /** Offset of user {@code u}'s row in the flat parameter vector. */
    public int userOffset(int u) {
        return u * dim;
    }

    /** Offset of item {@code i}'s row in the flat parameter vector. */
    public int itemOffset(int i) {
        return (numUsers + i) * dim;
    }

    @Override
    public int numParams() {
        return (numUsers + numItems) * dim;
    }

    /**
     * Both tables ~ N(0, initial_weight²), like the official {@code nn.init.normal_}; started at popularity
     * ({@link #startingAtPopularity}), plus the shared direction of {@link PopularityStart#apply}.
     */
    @Override
    public void initParams(float[] params, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0x0157A6C1L));
        for (int p = 0; p < params.length; p++) {
            params[p] = (float) (initialWeight * Seeds.gaussian(random));
        }
        if (startLogits != null) {
            PopularityStart.apply(params, startLogits, numUsers, dim);
        }
    }

    @Override
    public Reduction reduction() {
        return Reduction.SUM;
    }

    /**
     * γ·½‖θ‖² over all parameters (official {@code gamma · norm_loss()}), added once per optimizer step. The gradient
     * γθ is dense: every parameter moves every step, as in the official code. The engine adds it in the optimizer's
     * own pass over the vector ({@link #l2Coefficient}), bit-identical to this method.
     */
    @Override
    public boolean hasRegularizer() {
        return gamma != 0.0;
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return regularizeSlice(params, grad, 0, params.length, true);
    }

    @Override
    public double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        if (gamma == 0.0) {
            return 0.0;
        }
        float g = (float) gamma;
        for (int p = lo; p < hi; p++) {
            grad[p] += g * params[p];
        }
        if (!value) {
            return 0.0;
        }
        return splitRegularizerValue(params);
    }

    /** γ: {@link #regularizeSlice} adds {@code (float) γ * θ} to every element. */
    @Override
    public float l2Coefficient() {
        return gamma == 0.0 ? Float.NaN : (float) gamma;
    }

    @Override
    public int regularizerChunk() {
        return gamma == 0.0 ? 0 : REGULARIZER_CHUNK;
    }

    /**
     * ‖θ_chunk‖² (float squares) with eight independent partial sums: one serial double chain would cost ~4 cycles
     * per parameter, eight keep both adders busy.
     */
    @Override
    public double regularizerPart(float[] params, int k) {
        int from = k * REGULARIZER_CHUNK;
        int to = Math.min(params.length, from + REGULARIZER_CHUNK);
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        int p = from;
        for (; p + 7 < to; p += 8) {
            s0 += params[p] * params[p];
            s1 += params[p + 1] * params[p + 1];
            s2 += params[p + 2] * params[p + 2];
            s3 += params[p + 3] * params[p + 3];
            s4 += params[p + 4] * params[p + 4];
            s5 += params[p + 5] * params[p + 5];
            s6 += params[p + 6] * params[p + 6];
            s7 += params[p + 7] * params[p + 7];
        }
        for (; p < to; p++) {
            s0 += params[p] * params[p];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    public double regularizerValue(double[] parts) {
        double sum = 0.0;
        for (double part : parts) {
            sum += part;
        }
        return 0.5 * gamma * sum;
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<Interaction> batch, float[] grad, StepContext ctx) {
        int count = batch.size();
        if (count == 0) {
            return BatchLoss.ZERO;
        }
        Workspace ws = workspace().get();
        ws.ensure(count);
        int[] users = ws.users;
        int[] items = ws.items;
        for (int b = 0; b < count; b++) {
            Interaction x = batch.get(b);
            int u = x.user();
            int i = x.item();
            if (u >= numUsers || i >= numItems) {
                throw new IllegalArgumentException("interaction " + x + " outside " + numUsers + " users × "
                        + numItems + " items");
            }
            users[b] = u;
            items[b] = i;
        }
        ws.sampler.draw(users, count, negativeNum, ctx.random(), ws.negatives);

        final int d = dim;
        float[] userRows = ws.userRows;
        float[] userGrad = ws.userGrad;
        for (int b = 0; b < count; b++) {
            System.arraycopy(params, users[b] * d, userRows, b * d, d);
        }
        Arrays.fill(userGrad, 0, count * d, 0f);

        double loss = positiveAndItemTerms(params, grad, users, items, count, userRows, userGrad);
        loss += ws.kernel.accumulate(params, grad, users, count, userRows, userGrad, ws.negatives, negativeNum,
                negativeScale);

        for (int b = 0; b < count; b++) {
            int uo = users[b] * d;
            int bo = b * d;
            for (int k = 0; k < d; k++) {
                grad[uo + k] += userGrad[bo + k];
            }
        }
        return new BatchLoss(loss, count);
    }

    /** Positive terms and the item–item terms λ·ω(i,j)·softplus(−e_u·e_j): few per row, computed directly. */
    private double positiveAndItemTerms(float[] params, float[] grad, int[] users, int[] items, int count,
                                        float[] userRows, float[] userGrad) {
        final int d = dim;
        final int k = neighbours.k();
        final int[] nbIds = neighbours.neighbourArray();
        final float[] nbW = neighbours.weightArray();
        final float[] ub = weights.userBetas();
        final float[] ib = weights.itemBetas();
        final int itemBase = numUsers * d;
        double loss = 0.0;
        for (int b = 0; b < count; b++) {
            int u = users[b];
            int i = items[b];
            int bo = b * d;
            float posW = w2 > 0f ? w1 + w2 * (ub[u] * ib[i]) : w1;
            loss += attractTerm(params, grad, userRows, userGrad, bo, itemBase + i * d, posW);
            for (int n = 0; n < k; n++) {
                float omega = nbW[i * k + n];
                if (omega != 0f) {
                    loss += attractTerm(params, grad, userRows, userGrad, bo, itemBase + nbIds[i * k + n] * d,
                            lambda * omega);
                }
            }
        }
        return loss;
    }

    /** {@code weight · softplus(−s)}, {@code s = e_u·e_j}; gradient {@code −weight·σ(−s)} w.r.t. s. */
    private double attractTerm(float[] params, float[] grad, float[] userRows, float[] userGrad, int bo, int jo,
                               float weight) {
        final int d = dim;
        float s = 0f;
        for (int k = 0; k < d; k++) {
            s += userRows[bo + k] * params[jo + k];
        }
        double e = Math.exp(-Math.abs(s));
        double sigNeg = s >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
        float c = (float) (-weight * sigNeg);
        for (int k = 0; k < d; k++) {
            userGrad[bo + k] += c * params[jo + k];
            grad[jo + k] += c * userRows[bo + k];
        }
        return weight * (Math.max(-s, 0.0) + Math.log1p(e));
    }

    private ThreadLocal<Workspace> workspace() {
        ThreadLocal<Workspace> w = workspace;
        if (w == null) {
            synchronized (this) {
                w = workspace;
                if (w == null) {
                    w = ThreadLocal.withInitial(Workspace::new);
                    workspace = w;
                }
            }
        }
        return w;
    }

    /** Per-thread scratch buffers, grown on demand. */
    private final class Workspace {
        final NegativeSampler sampler = new NegativeSampler(numItems, excluded);
        final NegativeTermKernel kernel = NegativeTermKernel.create(dim, numUsers, numItems, w3, w4, weights,
                itemsPerBucket);
        int[] users = new int[0];
        int[] items = new int[0];
        int[] negatives = new int[0];
        float[] userRows = new float[0];
        float[] userGrad = new float[0];

        void ensure(int count) {
            if (users.length < count) {
                users = new int[count];
                items = new int[count];
                negatives = new int[count * negativeNum];
                userRows = new float[count * dim];
                userGrad = new float[count * dim];
            }
        }
    }
}
