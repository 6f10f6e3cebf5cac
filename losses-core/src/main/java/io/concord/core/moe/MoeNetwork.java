package io.concord.core.moe;

import io.concord.core.util.StableMath;

import java.io.Serializable;
import java.util.List;

/**
 * The position-wise network of a {@link MoeModel} in double precision: forward of one routed position into a
 * {@link Trace}, and backward of one position given the gradient of the head's logits and the constant extra
 * gradient the auxiliary losses put on each routing probability.
 *
 * <p>Per MoE layer, with input {@code h ∈ R^d}: router logits {@code z = W_r·h}, {@code p = softmax(z)},
 * {@code S = topK(p)} (ties to the lower expert index), expert {@code E_i(h) = W2_i·silu(W1_i·h + b1_i) + b2_i},
 * output {@code y = h + Σ_{i∈S} p_i·E_i(h) + E_shared(h)} (residual; the selected probabilities are not
 * renormalised, as in Qwen3-MoE). SiLU keeps the network smooth, so finite differences check it exactly wherever
 * the top-k sets do not change.
 */
final class MoeNetwork implements Serializable {

    private static final long serialVersionUID = 1L;

    final MoeConfig config;
    final ParamLayout layout;

    MoeNetwork(MoeConfig config) {
        this.config = config;
        this.layout = new ParamLayout(config);
    }

    /** The routed positions of a batch: one per classification example, n − 1 per token sequence of length n. */
    static final class Positions {
        final int count;
        final MoeExample[] source;
        final int[] offset;
        final int[] target;

        private Positions(int count, MoeExample[] source, int[] offset, int[] target) {
            this.count = count;
            this.source = source;
            this.offset = offset;
            this.target = target;
        }

        int domain(int i) {
            return source[i].domain();
        }
    }

    Positions positions(List<MoeExample> batch) {
        int n = 0;
        for (MoeExample x : batch) {
            checkExample(x);
            n += x.positions();
        }
        MoeExample[] source = new MoeExample[n];
        int[] offset = new int[n];
        int[] target = new int[n];
        int k = 0;
        for (MoeExample x : batch) {
            if (config.task() == MoeTask.CLASSIFICATION) {
                source[k] = x;
                target[k] = x.label();
                k++;
            } else {
                int[] t = x.tokens();
                for (int j = 0; j + 1 < t.length; j++) {
                    source[k] = x;
                    offset[k] = j;
                    target[k] = t[j + 1];
                    k++;
                }
            }
        }
        return new Positions(n, source, offset, target);
    }

    private void checkExample(MoeExample x) {
        if (config.task() == MoeTask.CLASSIFICATION) {
            if (!x.hasFeatures()) {
                throw new IllegalArgumentException("moe.task=classification needs feature examples, got " + x);
            }
            if (x.features().length != config.inputDim()) {
                throw new IllegalArgumentException("feature vector has dimension " + x.features().length
                        + ", moe.inputDim is " + config.inputDim());
            }
            if (x.label() >= config.numClasses()) {
                throw new IllegalArgumentException("label " + x.label() + " is out of range [0, moe.numClasses="
                        + config.numClasses() + ")");
            }
        } else {
            if (x.hasFeatures()) {
                throw new IllegalArgumentException("moe.task=next-token needs token sequences, got " + x);
            }
            for (int t : x.tokens()) {
                if (t >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + t + " is out of range [0, moe.vocabSize="
                            + config.vocabSize() + ")");
                }
            }
        }
    }

    /** Everything the backward pass of one position needs. */
    static final class Trace {
        /** in[l] is the input of layer l; in[L] is the network output fed to the head. */
        final double[][] in;
        final double[][] probs;
        final double[] logSumExp;
        final int[][] top;
        /** Pre-activations of the selected experts, [layer][k][hidden]. */
        final double[][][] hidden;
        /** Outputs E_i(h) of the selected experts, [layer][k][d]. */
        final double[][][] expertOut;
        final double[][] sharedHidden;
        final double[] logits;

        Trace(MoeConfig c) {
            int layers = c.numLayers();
            in = new double[layers + 1][];
            probs = new double[layers][];
            logSumExp = new double[layers];
            top = new int[layers][c.topK()];
            hidden = new double[layers][c.topK()][];
            expertOut = new double[layers][c.topK()][];
            sharedHidden = new double[layers][];
            logits = new double[c.numClasses()];
        }

        /** Sum of the selected experts' routing probabilities in layer l. */
        double topKScore(int l) {
            double s = 0.0;
            for (int i : top[l]) {
                s += probs[l][i];
            }
            return s;
        }
    }

    /**
     * Forward pass of position {@code i}. With {@code routeOnly} (the statistics pass) only the routing decisions
     * are complete: the last layer's experts and the head are skipped.
     */
    Trace forward(double[] p, Positions pos, int i, boolean routeOnly) {
        final int d = layout.d;
        Trace t = new Trace(config);
        double[] h = new double[d];
        MoeExample x = pos.source[i];
        if (config.task() == MoeTask.CLASSIFICATION) {
            float[] f = x.features();
            int dim = f.length;
            for (int r = 0; r < d; r++) {
                double s = p[layout.inputBias + r];
                int row = layout.inputWeights + r * dim;
                for (int j = 0; j < dim; j++) {
                    s += p[row + j] * f[j];
                }
                h[r] = s;
            }
        } else {
            int row = layout.inputWeights + x.tokens()[pos.offset[i]] * d;
            System.arraycopy(p, row, h, 0, d);
        }
        for (int l = 0; l < config.numLayers(); l++) {
            t.in[l] = h;
            // The counting pass needs only the routing: the last layer's experts are skipped.
            h = layerForward(p, l, h, t, routeOnly && l == config.numLayers() - 1);
        }
        t.in[config.numLayers()] = h;
        if (!routeOnly) {
            int c = config.numClasses();
            for (int k = 0; k < c; k++) {
                double s = p[layout.headBias + k];
                int row = layout.headWeights + k * d;
                for (int j = 0; j < d; j++) {
                    s += p[row + j] * h[j];
                }
                t.logits[k] = s;
            }
        }
        return t;
    }

    private double[] layerForward(double[] p, int l, double[] h, Trace t, boolean routingOnly) {
        final int d = layout.d;
        final int ne = config.numExperts();
        double[] z = new double[ne];
        for (int e = 0; e < ne; e++) {
            int row = layout.router[l] + e * d;
            double s = 0.0;
            for (int j = 0; j < d; j++) {
                s += p[row + j] * h[j];
            }
            z[e] = s;
        }
        double lse = StableMath.logSumExp(z, 0, z.length);
        double[] prob = new double[ne];
        for (int e = 0; e < ne; e++) {
            prob[e] = Math.exp(z[e] - lse);
        }
        t.probs[l] = prob;
        t.logSumExp[l] = lse;
        selectTopK(prob, t.top[l]);
        if (routingOnly) {
            return null;
        }
        double[] y = h.clone();
        for (int k = 0; k < config.topK(); k++) {
            int e = t.top[l][k];
            ParamLayout.Mlp m = layout.expertMlp(l, e);
            double[] a = new double[m.hidden()];
            double[] out = mlpForward(p, m, h, a);
            t.hidden[l][k] = a;
            t.expertOut[l][k] = out;
            double pe = prob[e];
            for (int j = 0; j < d; j++) {
                y[j] += pe * out[j];
            }
        }
        if (config.hasSharedExpert()) {
            ParamLayout.Mlp m = layout.sharedMlp(l);
            double[] a = new double[m.hidden()];
            double[] out = mlpForward(p, m, h, a);
            t.sharedHidden[l] = a;
            for (int j = 0; j < d; j++) {
                y[j] += out[j];
            }
        }
        return y;
    }

    /** Writes the pre-activations into {@code a} and returns the MLP's output. */
    private double[] mlpForward(double[] p, ParamLayout.Mlp m, double[] h, double[] a) {
        final int d = layout.d;
        final int hid = m.hidden();
        for (int c = 0; c < hid; c++) {
            double s = p[m.b1() + c];
            int row = m.w1() + c * d;
            for (int j = 0; j < d; j++) {
                s += p[row + j] * h[j];
            }
            a[c] = s;
        }
        double[] u = new double[hid];
        for (int c = 0; c < hid; c++) {
            u[c] = silu(a[c]);
        }
        double[] out = new double[d];
        for (int r = 0; r < d; r++) {
            double s = p[m.b2() + r];
            int row = m.w2() + r * hid;
            for (int c = 0; c < hid; c++) {
                s += p[row + c] * u[c];
            }
            out[r] = s;
        }
        return out;
    }

    /**
     * Cross-entropy of position {@code i}'s logits against its target; writes ∂ℓ/∂logits into {@code dLogits}.
     */
    double crossEntropy(Trace t, int target, double[] dLogits) {
        double lse = StableMath.logSumExp(t.logits, 0, t.logits.length);
        for (int k = 0; k < t.logits.length; k++) {
            dLogits[k] = Math.exp(t.logits[k] - lse);
        }
        dLogits[target] -= 1.0;
        return lse - t.logits[target];
    }

    /**
     * Backward of one position. {@code probGrad[l][i]} is the constant ∂(aux)/∂p_i that the load-balancing term puts
     * on layer l's routing probabilities (f carries no gradient, so it is a constant here); {@code zLossCoeff}
     * weights the per-position router z-loss {@code lse(z)²}.
     */
    void backward(double[] p, double[] g, Positions pos, int i, Trace t, double[] dLogits, double[][] probGrad,
                  double zLossCoeff) {
        final int d = layout.d;
        double[] h = t.in[config.numLayers()];
        double[] gh = new double[d];
        for (int k = 0; k < dLogits.length; k++) {
            double gk = dLogits[k];
            if (gk == 0.0) {
                continue;
            }
            int row = layout.headWeights + k * d;
            for (int j = 0; j < d; j++) {
                g[row + j] += gk * h[j];
                gh[j] += p[row + j] * gk;
            }
            g[layout.headBias + k] += gk;
        }
        for (int l = config.numLayers() - 1; l >= 0; l--) {
            gh = layerBackward(p, g, l, t, gh, probGrad[l], zLossCoeff);
        }
        MoeExample x = pos.source[i];
        if (config.task() == MoeTask.CLASSIFICATION) {
            float[] f = x.features();
            int dim = f.length;
            for (int r = 0; r < d; r++) {
                double gr = gh[r];
                int row = layout.inputWeights + r * dim;
                for (int j = 0; j < dim; j++) {
                    g[row + j] += gr * f[j];
                }
                g[layout.inputBias + r] += gr;
            }
        } else {
            int row = layout.inputWeights + x.tokens()[pos.offset[i]] * d;
            for (int j = 0; j < d; j++) {
                g[row + j] += gh[j];
            }
        }
    }

    private double[] layerBackward(double[] p, double[] g, int l, Trace t, double[] gy, double[] probGrad,
                                   double zLossCoeff) {
        final int d = layout.d;
        final int ne = config.numExperts();
        double[] h = t.in[l];
        double[] prob = t.probs[l];
        double[] gh = gy.clone();
        double[] gp = probGrad.clone();
        for (int k = 0; k < config.topK(); k++) {
            int e = t.top[l][k];
            double[] out = t.expertOut[l][k];
            double dot = 0.0;
            for (int j = 0; j < d; j++) {
                dot += gy[j] * out[j];
            }
            gp[e] += dot;
            double pe = prob[e];
            double[] gOut = new double[d];
            for (int j = 0; j < d; j++) {
                gOut[j] = pe * gy[j];
            }
            mlpBackward(p, g, layout.expertMlp(l, e), h, t.hidden[l][k], gOut, gh);
        }
        if (config.hasSharedExpert()) {
            mlpBackward(p, g, layout.sharedMlp(l), h, t.sharedHidden[l], gy, gh);
        }
        double mean = 0.0;
        for (int e = 0; e < ne; e++) {
            mean += prob[e] * gp[e];
        }
        double zScale = 2.0 * zLossCoeff * t.logSumExp[l];
        for (int e = 0; e < ne; e++) {
            double gz = prob[e] * (gp[e] - mean + zScale);
            if (gz == 0.0) {
                continue;
            }
            int row = layout.router[l] + e * d;
            for (int j = 0; j < d; j++) {
                g[row + j] += gz * h[j];
                gh[j] += p[row + j] * gz;
            }
        }
        return gh;
    }

    private void mlpBackward(double[] p, double[] g, ParamLayout.Mlp m, double[] h, double[] a, double[] gOut,
                             double[] gh) {
        final int d = layout.d;
        final int hid = m.hidden();
        double[] u = new double[hid];
        for (int c = 0; c < hid; c++) {
            u[c] = silu(a[c]);
        }
        double[] gu = new double[hid];
        for (int r = 0; r < d; r++) {
            double gr = gOut[r];
            g[m.b2() + r] += gr;
            int row = m.w2() + r * hid;
            for (int c = 0; c < hid; c++) {
                g[row + c] += gr * u[c];
                gu[c] += p[row + c] * gr;
            }
        }
        for (int c = 0; c < hid; c++) {
            double ga = gu[c] * siluDerivative(a[c]);
            g[m.b1() + c] += ga;
            int row = m.w1() + c * d;
            for (int j = 0; j < d; j++) {
                g[row + j] += ga * h[j];
                gh[j] += p[row + j] * ga;
            }
        }
    }

    /** The K largest entries of {@code prob}, largest first; ties go to the lower index. */
    static void selectTopK(double[] prob, int[] top) {
        int k = top.length;
        boolean[] taken = new boolean[prob.length];
        for (int s = 0; s < k; s++) {
            int best = -1;
            for (int e = 0; e < prob.length; e++) {
                if (!taken[e] && (best < 0 || prob[e] > prob[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            top[s] = best;
        }
    }

    static double silu(double a) {
        return a / (1.0 + Math.exp(-a));
    }

    static double siluDerivative(double a) {
        double s = 1.0 / (1.0 + Math.exp(-a));
        return s * (1.0 + a * (1.0 - s));
    }
}
