package io.concord.core.optim;

import java.util.Arrays;
import java.util.Objects;
import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import io.concord.core.util.Seeds;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * FRUGAL, gradient splitting into a state-full subspace (Adam) and a state-free remainder (signSGD or SGD) (Zmushko et
 * al.; details from the fork hungquangbui02022003/FRUGAL {@code frugal/proj_optimizer_templates.py},
 * {@code galore_projector.py}, {@code adamw.py}). Every step: {@code θ ← θ(1 − lr·λ)} for all parameters; coordinates
 * outside the declared {@link MatrixBlock}s get AdamW (torch form); the blocks are split:
 * <ul>
 *   <li>projections {@link Projection#SVD}, {@link Projection#RANDOM} (random orthonormal), {@link Projection#RANDPERM}
 *   (random coordinates): every {@code updateGap} steps ({@code (t − 1) mod T = 0}) rebuild P of rank
 *   {@code round(dim·density)} on the 'std' side (see {@link Projector}), and with {@code resetStatistics} zero the
 *   block's Adam state (its bias correction restarts). Then
 *   {@code update = up(AdamUpdate(down(G); lr·projScale)) − lr·projScale·inactiveScale·sign(G − up(down(G)))}
 *   (·(G − up(down(G))) for {@code sgd}; nothing for {@code no}).</li>
 *   <li>{@link Projection#BLOCK} ({@code BlockOptimizer}, 'random' order): every T steps clear all block states and
 *   activate {@code round(#blocks·density)} blocks by a random permutation; active blocks get Adam with fresh state and
 *   lr·projScale, inactive ones {@code −lr·projScale·inactiveScale·sign(g)}.</li>
 * </ul>
 * Randomness (RANDOM, RANDPERM, BLOCK) comes from {@code Seeds.stream(seed, refresh index, block)}, so every worker
 * builds the same projector; then the state is element-wise in a shared basis and averageable. SVD projectors come
 * from the local gradient, so with {@link Projection#SVD} the state is not averageable. Rounding is half-to-even, as
 * Python's {@code round}. Defaults (FRUGAL README / {@code adamw.py}): lr 1e-3, β = (0.9, 0.999), eps 1e-8, λ = 0.01,
 * density 0.25, gap 200, signSGD remainder, scales 1, reset on refresh. Default projection here: {@code randperm}
 * (every worker agrees without communication); the reference's {@code frugal} optimizer name is the BLOCK variant and
 * its {@code GaloreOptimizer} defaults to SVD, both selectable.
 *
 * <p>State layout: regular m, regular v, then per block {@code [P, m, v]} (projections) or {@code [m, v]} (BLOCK).
 */
public final class Frugal implements Optimizer {

    private static final long serialVersionUID = 1L;

    /** How the state-full part of a block is chosen. */
    public enum Projection {
        SVD, RANDOM, RANDPERM, BLOCK;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the state-free remainder gets. */
    public enum InactiveRule {
        SIGN_SGD, SGD, NO;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double density;
    private final int updateGap;
    private final Projection projection;
    private final InactiveRule inactiveRule;
    private final double inactiveLrScale;
    private final double projLrScale;
    private final boolean resetStatistics;
    private final long seed;
    private final List<MatrixBlock> blocks;

    public Frugal(double learningRate, double beta1, double beta2, double eps, double weightDecay, double density,
                  int updateGap, Projection projection, InactiveRule inactiveRule, double inactiveLrScale,
                  double projLrScale, boolean resetStatistics, long seed, List<MatrixBlock> blocks) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.beta1 = Checks.inRange("beta1", beta1, 0.0, 1.0, true, false);
        this.beta2 = Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        this.eps = Checks.positive("eps", eps);
        this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
        this.density = Checks.inRange("density", density, 0.0, 1.0, true, true);
        this.updateGap = Checks.positive("updateGap", updateGap);
        this.projection = Objects.requireNonNull(projection, "projection");
        this.inactiveRule = Objects.requireNonNull(inactiveRule, "inactiveRule");
        this.inactiveLrScale = Checks.nonNegative("inactiveLrScale", inactiveLrScale);
        this.projLrScale = Checks.nonNegative("projLrScale", projLrScale);
        this.resetStatistics = resetStatistics;
        this.seed = seed;
        if (blocks == null || blocks.isEmpty()) {
            throw new ParamException("matrices", "frugal needs at least one matrix block");
        }
        this.blocks = List.copyOf(blocks);
    }

    @Override
    public String name() {
        return "frugal";
    }

    @Override
    public boolean stateIsAverageable() {
        return projection != Projection.SVD;
    }

    int rank(MatrixBlock b) {
        int dim = Projector.rightSide(b.rows(), b.cols()) ? b.cols() : b.rows();
        return (int) Math.rint(dim * density);
    }

    int numActiveBlocks() {
        return (int) Math.rint(blocks.size() * density);
    }

    private int blockStateSize(MatrixBlock b) {
        if (projection == Projection.BLOCK) {
            return 2 * b.size();
        }
        int r = rank(b);
        int[] shape = Projector.projectedShape(b.rows(), b.cols(), r);
        return Projector.projectorLength(b.rows(), b.cols(), r) + 2 * shape[0] * shape[1];
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

    /** Which blocks are active (BLOCK projection) in the refresh period containing step t. */
    public boolean[] activeBlocks(long t) {
        long refresh = (t - 1) / updateGap;
        int[] perm = Seeds.permutation(blocks.size(), Seeds.stream(seed, refresh));
        boolean[] active = new boolean[blocks.size()];
        for (int k = 0; k < numActiveBlocks(); k++) {
            active[perm[k]] = true;
        }
        return active;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        float decay = (float) (1.0 - learningRate * weightDecay);
        for (int i = 0; i < params.length; i++) {
            params[i] *= decay;
        }
        int[] regular = MatrixBlock.regularIndices(blocks, params.length);
        int nr = regular.length;
        AdamKernel full = AdamKernel.torch(learningRate, beta1, beta2, eps, t);
        for (int k = 0; k < nr; k++) {
            int i = regular[k];
            params[i] += full.update(grad[i], state, k, nr + k);
        }
        boolean refresh = (t - 1) % updateGap == 0;
        long localT = resetStatistics || projection == Projection.BLOCK ? (t - 1) % updateGap + 1 : t;
        AdamKernel subspace = AdamKernel.torch(learningRate * projLrScale, beta1, beta2, eps, localT);
        double inactiveLr = learningRate * projLrScale * inactiveLrScale;
        boolean[] active = projection == Projection.BLOCK ? activeBlocks(t) : null;
        int offset = 2 * nr;
        for (int bi = 0; bi < blocks.size(); bi++) {
            MatrixBlock b = blocks.get(bi);
            int stateLength = blockStateSize(b);
            if (projection == Projection.BLOCK) {
                if (refresh) {
                    Arrays.fill(state, offset, offset + stateLength, 0.0f);
                }
                stepBlock(b, params, grad, state, offset, active[bi], subspace, inactiveLr);
            } else {
                stepProjected(b, bi, params, grad, state, offset, t, refresh, subspace, inactiveLr);
            }
            offset += stateLength;
        }
    }

    private void stepBlock(MatrixBlock b, float[] params, float[] grad, float[] state, int offset, boolean active,
                           AdamKernel kernel, double inactiveLr) {
        int size = b.size();
        for (int k = 0; k < size; k++) {
            int i = b.offset() + k;
            if (active) {
                params[i] += kernel.update(grad[i], state, offset + k, offset + size + k);
            } else {
                params[i] -= (float) (inactiveLr * inactive(grad[i]));
            }
        }
    }

    private void stepProjected(MatrixBlock b, int blockIndex, float[] params, float[] grad, float[] state, int offset,
                               long t, boolean refresh, AdamKernel kernel, double inactiveLr) {
        int rows = b.rows();
        int cols = b.cols();
        int r = rank(b);
        int pLength = Projector.projectorLength(rows, cols, r);
        double[] g = new double[b.size()];
        for (int k = 0; k < g.length; k++) {
            g[k] = grad[b.offset() + k];
        }
        int[] shape = Projector.projectedShape(rows, cols, r);
        int rLength = shape[0] * shape[1];
        if (refresh) {
            double[] p = switch (projection) {
                case SVD -> Projector.topSingularVectors(g, rows, cols, r);
                case RANDOM -> Projector.randomOrthonormal(stream(t, blockIndex), rows, cols, r);
                case RANDPERM -> Projector.randomCoordinates(stream(t, blockIndex), rows, cols, r);
                case BLOCK -> throw new IllegalStateException("block projection has no projector");
            };
            for (int k = 0; k < pLength; k++) {
                state[offset + k] = (float) p[k];
            }
            if (resetStatistics) {
                Arrays.fill(state, offset + pLength, offset + pLength + 2 * rLength, 0.0f);
            }
        }
        double[] p = new double[pLength];
        for (int k = 0; k < pLength; k++) {
            p[k] = state[offset + k];
        }
        double[] down = Projector.down(p, g, rows, cols, r);
        double[] lowUpdate = new double[rLength];
        int mOffset = offset + pLength;
        for (int k = 0; k < rLength; k++) {
            lowUpdate[k] = kernel.update((float) down[k], state, mOffset + k, mOffset + rLength + k);
        }
        double[] update = Projector.up(p, lowUpdate, rows, cols, r);
        double[] inSubspace = inactiveRule == InactiveRule.NO ? null : Projector.up(p, down, rows, cols, r);
        for (int k = 0; k < g.length; k++) {
            double u = update[k];
            if (inSubspace != null) {
                u -= inactiveLr * inactive(g[k] - inSubspace[k]);
            }
            params[b.offset() + k] += (float) u;
        }
    }

    private double inactive(double residual) {
        return switch (inactiveRule) {
            case SIGN_SGD -> Math.signum(residual);
            case SGD -> residual;
            case NO -> 0.0;
        };
    }

    private SplittableRandom stream(long t, int blockIndex) {
        return Seeds.stream(seed, (t - 1) / updateGap, blockIndex);
    }
}
