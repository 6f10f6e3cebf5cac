package io.concord.core.optim;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import java.util.List;

/**
 * Fira (Chen et al., arXiv 2410.01623; code: xichen-fy/Fira {@code optimizer_torch/fira_adamw.py},
 * {@code gradient_projection.py}): low-rank Adam on declared matrices plus the full-rank residual applied as SGD scaled
 * by the low-rank Adam-to-SGD norm ratio, with a norm-growth limiter. For each {@link MatrixBlock} with gradient G:
 * <pre>
 *   if (t − 1) mod gap = 0:  P = top-r singular vectors of G ('std' side, see {@link Projector})
 *   R = down(G);  Adam moments on R (never reset);  N = m/(√v + eps)
 *   stepSize = lr·√(1 − β2^t)/(1 − β1^t)
 *   φ = ‖N‖_dim/(‖R‖_dim + 1e-8)   per row of N if N has at least as many rows as columns, else per column
 *   S = (G − α·up(R)) ⊙ φ
 *   limiter (t &gt; 1): lim = max(‖S‖/(prev + 1e-8), 1.01)/1.01;  S ← S/lim;  prev ← ‖S_before‖/lim   (t = 1: prev = ‖S‖)
 *   θ ← θ − stepSize·(α·up(N) + S);   θ ← θ − lr·λ·θ
 * </pre>
 * Every other coordinate gets the HF-style AdamW Fira uses ({@link Adam.Convention#HF}: eps 1e-6, decay after the
 * update). Defaults: lr 1e-3, β = (0.9, 0.999), eps 1e-6, λ = 0, gap 200, α = 1 (README pretraining example: α 0.25,
 * rank 128, lr 0.01); the rank has no default. The reference computes the SVD in float32; here in float64 with signs
 * fixed (see {@link Projector#topSingularVectors}).
 *
 * <p>State layout: regular m, regular v, then per block {@code [P, m_R, v_R, prev]}. The projector is computed from
 * the gradient this optimizer sees, so the state is not averageable across workers (parameter averaging would mix
 * different subspaces); in global-batch mode the one driver-side P is what the reference's "compute on one node and
 * broadcast" asks for.
 */
public final class Fira implements Optimizer {

    private static final long serialVersionUID = 1L;
    private static final double NORM_EPS = 1e-8;
    private static final double GROWTH = 1.01;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final int rank;
    private final int updateProjGap;
    private final double alpha;
    private final List<MatrixBlock> blocks;

    public Fira(double learningRate, double beta1, double beta2, double eps, double weightDecay, int rank,
                int updateProjGap, double alpha, List<MatrixBlock> blocks) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.beta1 = Checks.inRange("beta1", beta1, 0.0, 1.0, true, false);
        this.beta2 = Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        this.eps = Checks.positive("eps", eps);
        this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
        this.rank = Checks.positive("rank", rank);
        this.updateProjGap = Checks.positive("updateProjGap", updateProjGap);
        this.alpha = Checks.positive("alpha", alpha);
        if (blocks == null || blocks.isEmpty()) {
            throw new ParamException("matrices", "fira needs at least one matrix block");
        }
        for (int b = 0; b < blocks.size(); b++) {
            MatrixBlock block = blocks.get(b);
            if (rank > Math.min(block.rows(), block.cols())) {
                throw new ParamException("rank", "" + rank + " is not allowed; must be <= "
                        + Math.min(block.rows(), block.cols()) + " (the smaller side of matrices[" + b + "], "
                        + block.rows() + "×" + block.cols() + ")");
            }
        }
        this.blocks = List.copyOf(blocks);
    }

    @Override
    public String name() {
        return "fira";
    }

    @Override
    public boolean stateIsAverageable() {
        return false;
    }

    @Override
    public int stateSize(int numParams) {
        MatrixBlock.validate("matrices", blocks, numParams);
        int size = 2 * MatrixBlock.regularIndices(blocks, numParams).length;
        for (MatrixBlock b : blocks) {
            size += blockStateSize(b);
        }
        return size;
    }

    private int blockStateSize(MatrixBlock b) {
        int[] shape = Projector.projectedShape(b.rows(), b.cols(), rank);
        return Projector.projectorLength(b.rows(), b.cols(), rank) + 2 * shape[0] * shape[1] + 1;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        int[] regular = MatrixBlock.regularIndices(blocks, params.length);
        int nr = regular.length;
        AdamKernel kernel = AdamKernel.hf(learningRate, beta1, beta2, eps, t);
        float decay = (float) (1.0 - learningRate * weightDecay);
        for (int k = 0; k < nr; k++) {
            int i = regular[k];
            params[i] = (params[i] + kernel.update(grad[i], state, k, nr + k)) * decay;
        }
        int offset = 2 * nr;
        for (MatrixBlock b : blocks) {
            stepBlock(b, params, grad, state, offset, t, kernel);
            offset += blockStateSize(b);
        }
    }

    private void stepBlock(MatrixBlock b, float[] params, float[] grad, float[] state, int offset, long t,
                           AdamKernel kernel) {
        int rows = b.rows();
        int cols = b.cols();
        int size = b.size();
        double[] g = new double[size];
        for (int i = 0; i < size; i++) {
            g[i] = grad[b.offset() + i];
        }
        int pLength = Projector.projectorLength(rows, cols, rank);
        if ((t - 1) % updateProjGap == 0) {
            double[] p = Projector.topSingularVectors(g, rows, cols, rank);
            for (int i = 0; i < pLength; i++) {
                state[offset + i] = (float) p[i];
            }
        }
        double[] p = new double[pLength];
        for (int i = 0; i < pLength; i++) {
            p[i] = state[offset + i];
        }
        double[] r = Projector.down(p, g, rows, cols, rank);
        int[] shape = Projector.projectedShape(rows, cols, rank);
        int rLength = r.length;
        int mOffset = offset + pLength;
        int vOffset = mOffset + rLength;
        int prevIndex = vOffset + rLength;
        double[] normalised = new double[rLength];
        for (int i = 0; i < rLength; i++) {
            float m = (float) (beta1 * state[mOffset + i] + (1.0 - beta1) * r[i]);
            float v = (float) (beta2 * state[vOffset + i] + (1.0 - beta2) * r[i] * r[i]);
            state[mOffset + i] = m;
            state[vOffset + i] = v;
            normalised[i] = m / (Math.sqrt(v) + eps);
        }
        boolean perRow = shape[0] >= shape[1];
        int count = perRow ? shape[0] : shape[1];
        double[] nNorm = new double[count];
        double[] rNorm = new double[count];
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                int k = i * shape[1] + j;
                int slot = perRow ? i : j;
                nNorm[slot] += normalised[k] * normalised[k];
                rNorm[slot] += r[k] * r[k];
            }
        }
        double[] phi = new double[count];
        for (int s = 0; s < count; s++) {
            phi[s] = Math.sqrt(nNorm[s]) / (Math.sqrt(rNorm[s]) + NORM_EPS);
        }
        double[] back = Projector.up(p, r, rows, cols, rank);
        double[] residual = new double[size];
        double residualNorm = 0.0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j;
                residual[k] = (g[k] - alpha * back[k]) * phi[perRow ? i : j];
                residualNorm += residual[k] * residual[k];
            }
        }
        residualNorm = Math.sqrt(residualNorm);
        double limiter = 1.0;
        if (t > 1) {
            limiter = limiter(residualNorm, state[prevIndex]);
        }
        state[prevIndex] = (float) (residualNorm / limiter);
        double[] direction = Projector.up(p, normalised, rows, cols, rank);
        double stepSize = kernel.stepSize();
        double decay = 1.0 - learningRate * weightDecay;
        for (int k = 0; k < size; k++) {
            double update = alpha * direction[k] + residual[k] / limiter;
            params[b.offset() + k] = (float) ((params[b.offset() + k] - stepSize * update) * decay);
        }
    }

    /**
     * The norm-growth limiter: the divisor {@code max(‖S‖/(prev + 1e-8), γ)/γ}, γ = 1.01, that lets the residual's norm
     * grow by at most 1% per step.
     */
    static double limiter(double norm, double previous) {
        return Math.max(norm / (previous + NORM_EPS), GROWTH) / GROWTH;
    }
}
