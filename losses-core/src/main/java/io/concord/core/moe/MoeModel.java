package io.concord.core.moe;

import java.util.Arrays;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.StatisticsProducer;
import io.concord.core.model.StepContext;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;
import io.concord.core.util.Seeds;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A small Mixture-of-Experts network (router, top-K routing, SiLU-MLP experts, optional shared expert, one or more
 * MoE layers, classification or next-token head) with the load-balancing loss of Qiu et al., "Demons in the Detail"
 * (arXiv 2501.11873), in micro-batch or global-batch form, and an optional router z-loss. See {@link MoeNetwork} for
 * the layer equations and {@link ParamLayout} for the parameter vector.
 *
 * <h2>Objective of one optimizer step</h2>
 * Over the step's union batch U of T routed tokens (one per classification example, one per predicted token), with
 * α = {@code moe.lbl.coeff}, β = {@code moe.zloss.coeff} and, per MoE layer l, {@code f_{l,i} = c_{l,i}/(K·T)}
 * (fraction of top-K selections that went to expert i, from the integer counts c, so no gradient) and
 * {@code P_{l,i} = (1/T)·Σ_{x∈U} p_l(x)_i}:
 * <pre>
 *   L = (1/T)·Σ_{x∈U} CE(x)  +  α·Σ_l N_E·Σ_i f_{l,i}·P_{l,i}  +  β·(1/T)·Σ_l Σ_{x∈U} lse(z_l(x))²
 * </pre>
 * Because f is a constant for the gradient, the balancing term is itself a token mean:
 * {@code N_E·Σ_i f_i·P_i = (1/T)·Σ_{x∈U} N_E·Σ_i f_i·p(x)_i}. So {@link #accumulateGradient} returns, summed over
 * its tokens, the per-token loss {@code CE(x) + α·Σ_l N_E·Σ_i f_{l,i}·p_l(x)_i + β·Σ_l lse²} and its gradient, with
 * weight = its token count. The engine ({@link Model.Reduction#MEAN}) sums every partition's gradient and divides
 * once by the total weight W = Σ_j T_j = T, which yields exactly ∇L. Where f comes from is the balance mode:
 * <ul>
 *   <li>{@link BalanceMode#MICRO}: f of the call's own batch. The engine then produces
 *       {@code Σ_B (T_B/T)·∇LBL_B}, the token-weighted mean of per-batch LBLs, i.e. the paper's
 *       {@code (1/N_P)·Σ_j LBL_micro^j} when partitions are equally large.</li>
 *   <li>{@link BalanceMode#GLOBAL_TWO_PASS}: f̄ from the merged {@link ExpertCounts} statistic of this round — the
 *       counts c̄ and the global token count T̄ that {@link #contributeStatistics} collected in a forward-only pass
 *       — so the sum of the partitions' contributions is exactly ∇(α·N_E·Σ_i f̄_i·P̄_i) over the union batch, and
 *       splitting a batch over partitions changes nothing (up to float rounding). T̄ is carried in the statistic
 *       because a partition cannot know it; the engine's division by W supplies the 1/T of P̄.</li>
 *   <li>{@link BalanceMode#GLOBAL_ONE_PASS}: the same f̄ without the counting pass: the call routes its batch,
 *       adds the counts to {@code ctx.local}, reads the merged counts through {@code ctx.global} (an in-step
 *       statistic: the read is the collective) and back-propagates through the traces it kept.</li>
 *   <li>{@link BalanceMode#GLOBAL_STALE}: f̄ of the previous round (this round's counts are added to
 *       {@code ctx.local}); the first round balances its own batch.</li>
 *   <li>{@link BalanceMode#RUNNING_BUFFER}: the batch's counts are added to {@code ctx.local(counts)} and f is taken
 *       from that running buffer, i.e. from this partition's local steps 1..k of the round.</li>
 * </ul>
 *
 * <p><b>Do not average again.</b> Megatron-LM's {@code global_aux_loss} (NVIDIA/Megatron-LM@d98e8a6,
 * {@code router.py}) divides each rank's local probability sum by the global token count and then lets
 * data-parallel gradient averaging divide by dp_size once more, so its router gradient is {@code 1/dp_size} of
 * ∂LBL_global (issue #3672, PR #3769 closed without a fix). Here no partition divides by T̄ or by the number of
 * partitions; the contributions are summed and the single 1/W of the engine is the 1/T of P̄.
 *
 * <p>The model routes exactly the positions that carry a target and gives each weight 1, which is what makes W = T.
 * Internally everything is computed in double; the float entry points round once per call.
 */
public final class MoeModel implements Model<MoeExample>, StatisticsProducer<MoeExample> {

    private static final long serialVersionUID = 1L;

    private final MoeConfig config;
    private final MoeNetwork net;
    private final LongVectorSum countStatistic;
    private final RoutingTallyStatistic tallyStatistic;

    public MoeModel(MoeConfig config) {
        this.config = config;
        this.net = new MoeNetwork(config);
        this.countStatistic = ExpertCounts.statistic(config);
        this.tallyStatistic = new RoutingTallyStatistic(config);
    }

    public MoeConfig config() {
        return config;
    }

    /** The expert-count statistic ({@link ExpertCounts}) with the freshness of this model's balance mode. */
    public LongVectorSum countStatistic() {
        return countStatistic;
    }

    /** The report-only routing tally every training batch adds to. */
    public RoutingTallyStatistic tallyStatistic() {
        return tallyStatistic;
    }

    /** The statistics the engine must register for this model: the counts (unless micro) and the tally. */
    public List<GlobalStatistic<?>> statistics() {
        return config.balance().usesCountStatistic()
                ? List.of(countStatistic, tallyStatistic)
                : List.of(tallyStatistic);
    }

    @Override
    public int numParams() {
        return net.layout.size;
    }

    /**
     * Gaussian initialisation: fan-in scaled for every matrix (expert output layers at half scale), unit variance
     * for token embeddings, zero biases.
     */
    @Override
    public void initParams(float[] params, long seed) {
        if (params.length != numParams()) {
            throw new IllegalArgumentException("params has length " + params.length + ", model needs " + numParams());
        }
        ParamLayout lay = net.layout;
        SplittableRandom r = Seeds.stream(seed, 0x40EL);
        Arrays.fill(params, 0f);
        int d = lay.d;
        if (config.task() == MoeTask.CLASSIFICATION) {
            gaussian(params, lay.inputWeights, d * config.inputDim(), 1.0 / Math.sqrt(config.inputDim()), r);
        } else {
            gaussian(params, lay.inputWeights, config.vocabSize() * d, 1.0, r);
        }
        for (int l = 0; l < config.numLayers(); l++) {
            gaussian(params, lay.router[l], config.numExperts() * d, 1.0 / Math.sqrt(d), r);
            for (int e = 0; e < config.numExperts(); e++) {
                initMlp(params, lay.expertMlp(l, e), r);
            }
            if (config.hasSharedExpert()) {
                initMlp(params, lay.sharedMlp(l), r);
            }
        }
        gaussian(params, lay.headWeights, config.numClasses() * d, 1.0 / Math.sqrt(d), r);
    }

    private void initMlp(float[] params, ParamLayout.Mlp m, SplittableRandom r) {
        int d = net.layout.d;
        gaussian(params, m.w1(), m.hidden() * d, 1.0 / Math.sqrt(d), r);
        gaussian(params, m.w2(), d * m.hidden(), 0.5 / Math.sqrt(m.hidden()), r);
    }

    private static void gaussian(float[] a, int from, int n, double std, SplittableRandom r) {
        for (int k = from; k < from + n; k++) {
            a[k] = (float) (std * Seeds.gaussian(r));
        }
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<MoeExample> batch, float[] grad, StepContext ctx) {
        double[] g = new double[numParams()];
        BatchLoss loss = accumulateGradient(toDouble(params), batch, g, ctx);
        for (int k = 0; k < g.length; k++) {
            grad[k] += (float) g[k];
        }
        return loss;
    }

    /** {@link #accumulateGradient(float[], List, float[], StepContext)} in double precision. */
    public BatchLoss accumulateGradient(double[] params, List<MoeExample> batch, double[] grad, StepContext ctx) {
        checkLength(params, grad);
        MoeNetwork.Positions pos = net.positions(batch);
        if (pos.count == 0) {
            return BatchLoss.ZERO;
        }
        MoeNetwork.Trace[] traces = new MoeNetwork.Trace[pos.count];
        long[] batchCounts = countStatistic.zero();
        for (int i = 0; i < pos.count; i++) {
            traces[i] = net.forward(params, pos, i, false);
            ExpertCounts.add(batchCounts, traces[i].top, config.numExperts());
        }
        long[] balanceCounts = balanceCounts(batchCounts, ctx);
        double[][] probGrad = new double[config.numLayers()][];
        for (int l = 0; l < config.numLayers(); l++) {
            double[] f = ExpertCounts.fractions(balanceCounts, config, l);
            for (int e = 0; e < f.length; e++) {
                f[e] *= config.lblCoeff() * config.numExperts();
            }
            probGrad[l] = f;
        }
        RoutingTally tally = ctx.local(tallyStatistic);
        double[] dLogits = new double[config.numClasses()];
        double lossSum = 0.0;
        for (int i = 0; i < pos.count; i++) {
            MoeNetwork.Trace t = traces[i];
            boolean correct = argMax(t.logits) == pos.target[i];
            double ce = net.crossEntropy(t, pos.target[i], dLogits);
            double aux = 0.0;
            for (int l = 0; l < config.numLayers(); l++) {
                for (int e = 0; e < config.numExperts(); e++) {
                    aux += probGrad[l][e] * t.probs[l][e];
                }
                aux += config.zLossCoeff() * t.logSumExp[l] * t.logSumExp[l];
            }
            lossSum += ce + aux;
            net.backward(params, grad, pos, i, t, dLogits, probGrad, config.zLossCoeff());
            tally.add(t, pos.domain(i), true, ce, correct);
            traces[i] = null;
        }
        return new BatchLoss(lossSum, pos.count);
    }

    /** The counts whose fractions f the balancing term uses for this call, updating ctx.local where the mode says. */
    private long[] balanceCounts(long[] batchCounts, StepContext ctx) {
        switch (config.balance()) {
            case MICRO:
                return batchCounts;
            case GLOBAL_TWO_PASS: {
                long[] global = ctx.global(countStatistic);
                if (global == null) {
                    throw new IllegalStateException("moe.balance=global with two-pass freshness needs this round's "
                            + "merged '" + ExpertCounts.NAME + "' statistic; run contributeStatistics on every "
                            + "partition first");
                }
                return checkedRoundCounts(global, batchCounts);
            }
            case GLOBAL_ONE_PASS: {
                countStatistic.merge(ctx.local(countStatistic), batchCounts);
                long[] global = ctx.global(countStatistic);
                if (global == null) {
                    throw new IllegalStateException("moe.balance=global with one-pass freshness needs this round's "
                            + "merged '" + ExpertCounts.NAME + "' statistic in the step (an in-step collective, or "
                            + "a statistics pass where the transport has none)");
                }
                return checkedRoundCounts(global, batchCounts);
            }
            case GLOBAL_STALE: {
                countStatistic.merge(ctx.local(countStatistic), batchCounts);
                long[] previous = ctx.global(countStatistic);
                return previous == null || ExpertCounts.tokens(previous) == 0 ? batchCounts : previous;
            }
            case RUNNING_BUFFER: {
                long[] buffer = ctx.local(countStatistic);
                countStatistic.merge(buffer, batchCounts);
                return buffer;
            }
            default:
                throw new AssertionError(config.balance());
        }
    }

    private static long[] checkedRoundCounts(long[] global, long[] batchCounts) {
        if (global.length != batchCounts.length || ExpertCounts.tokens(global) < ExpertCounts.tokens(batchCounts)) {
            throw new IllegalStateException("merged '" + ExpertCounts.NAME + "' covers "
                    + ExpertCounts.tokens(global) + " tokens but this batch alone has "
                    + ExpertCounts.tokens(batchCounts) + ": it is not this round's statistic");
        }
        return global;
    }

    /**
     * The forward-only counting pass of {@link BalanceMode#GLOBAL_TWO_PASS} (and of {@link BalanceMode#GLOBAL_ONE_PASS}
     * on a transport without an in-step collective): adds the batch's expert counts and token count into
     * {@code ctx.local(countStatistic())}. A no-op in the other modes, whose counts are collected by the loss pass.
     */
    @Override
    public void contributeStatistics(float[] params, List<MoeExample> batch, StepContext ctx) {
        contributeStatistics(toDouble(params), batch, ctx);
    }

    public void contributeStatistics(double[] params, List<MoeExample> batch, StepContext ctx) {
        if (config.balance() != BalanceMode.GLOBAL_TWO_PASS && config.balance() != BalanceMode.GLOBAL_ONE_PASS) {
            return;
        }
        MoeNetwork.Positions pos = net.positions(batch);
        long[] local = ctx.local(countStatistic);
        for (int i = 0; i < pos.count; i++) {
            ExpertCounts.add(local, net.forward(params, pos, i, true).top, config.numExperts());
        }
    }

    /** Forward pass only: adds the batch's routing, task loss and accuracy into {@code tally} and returns it. */
    public RoutingTally evaluate(float[] params, List<MoeExample> batch, RoutingTally tally) {
        double[] p = toDouble(params);
        MoeNetwork.Positions pos = net.positions(batch);
        double[] dLogits = new double[config.numClasses()];
        for (int i = 0; i < pos.count; i++) {
            MoeNetwork.Trace t = net.forward(p, pos, i, false);
            boolean correct = argMax(t.logits) == pos.target[i];
            tally.add(t, pos.domain(i), true, net.crossEntropy(t, pos.target[i], dLogits), correct);
        }
        return tally;
    }

    public RoutingTally evaluate(float[] params, List<MoeExample> batch) {
        return evaluate(params, batch, RoutingTally.empty(config));
    }

    private void checkLength(double[] params, double[] grad) {
        if (params.length != numParams() || grad.length != numParams()) {
            throw new IllegalArgumentException("params/grad have lengths " + params.length + "/" + grad.length
                    + ", model needs " + numParams());
        }
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k];
        }
        return out;
    }
}
