package io.concord.core.moe;

import io.concord.core.model.SimpleStepContext;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Small deterministic inputs for the MoE tests. */
final class MoeFixtures {

    private MoeFixtures() {
    }

    /** Clustered feature vectors: domain d is centred at a random mean, labels follow a per-domain sign rule. */
    static List<MoeExample> features(int n, int dim, int numClasses, int numDomains, long seed) {
        SplittableRandom r = Seeds.stream(seed, 1);
        double[][] means = new double[numDomains][dim];
        for (double[] m : means) {
            for (int j = 0; j < dim; j++) {
                m[j] = 2.0 * Seeds.gaussian(r);
            }
        }
        List<MoeExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int d = r.nextInt(numDomains);
            float[] x = new float[dim];
            for (int j = 0; j < dim; j++) {
                x[j] = (float) (means[d][j] + Seeds.gaussian(r));
            }
            int label = Math.floorMod((x[d % dim] > means[d][d % dim] ? 1 : 0) + d, numClasses);
            out.add(MoeExample.features(x, label, d));
        }
        return out;
    }

    /** Token sequences: domain d draws from its own block of the vocabulary, with token 0 shared. */
    static List<MoeExample> tokens(int n, int length, int vocab, int numDomains, long seed) {
        SplittableRandom r = Seeds.stream(seed, 2);
        int block = (vocab - 1) / numDomains;
        List<MoeExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int d = r.nextInt(numDomains);
            int[] t = new int[length];
            for (int j = 0; j < length; j++) {
                t[j] = r.nextInt(5) == 0 ? 0 : 1 + d * block + r.nextInt(block);
            }
            out.add(MoeExample.tokens(t, d));
        }
        return out;
    }

    /** Examples sorted by domain, so that contiguous partitions see different domain mixes. */
    static List<MoeExample> sortedByDomain(List<MoeExample> xs) {
        List<MoeExample> out = new ArrayList<>(xs);
        out.sort((a, b) -> Integer.compare(a.domain(), b.domain()));
        return out;
    }

    /** Splits {@code xs} into contiguous parts of the given sizes (which must add up to xs.size()). */
    static List<List<MoeExample>> split(List<MoeExample> xs, int... sizes) {
        List<List<MoeExample>> parts = new ArrayList<>();
        int from = 0;
        for (int s : sizes) {
            parts.add(new ArrayList<>(xs.subList(from, from + s)));
            from += s;
        }
        if (from != xs.size()) {
            throw new IllegalArgumentException("sizes add up to " + from + ", list has " + xs.size());
        }
        return parts;
    }

    static double[] initParams(MoeModel model, long seed) {
        float[] p = new float[model.numParams()];
        model.initParams(p, seed);
        return MoeModel.toDouble(p);
    }

    static MoeConfig withBalance(MoeConfig c, BalanceMode mode) {
        return new MoeConfig(c.task(), c.inputDim(), c.vocabSize(), c.numClasses(), c.modelDim(), c.numLayers(),
                c.numExperts(), c.topK(), c.expertHidden(), c.sharedExpertHidden(), c.lblCoeff(), c.zLossCoeff(), mode,
                c.numDomains());
    }

    static MoeConfig withLbl(MoeConfig c, double lblCoeff) {
        return new MoeConfig(c.task(), c.inputDim(), c.vocabSize(), c.numClasses(), c.modelDim(), c.numLayers(),
                c.numExperts(), c.topK(), c.expertHidden(), c.sharedExpertHidden(), lblCoeff, c.zLossCoeff(),
                c.balance(), c.numDomains());
    }

    /** Gradient (added into a zero vector) of one call with a context from {@code ctx}. */
    static double[] gradient(MoeModel model, double[] params, List<MoeExample> batch,
                             Supplier<SimpleStepContext> ctx) {
        double[] g = new double[params.length];
        model.accumulateGradient(params, batch, g, ctx.get());
        return g;
    }

    static double lossSum(MoeModel model, double[] params, List<MoeExample> batch, Supplier<SimpleStepContext> ctx) {
        return model.accumulateGradient(params, batch, new double[params.length], ctx.get()).lossSum();
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0.0;
        for (int k = 0; k < a.length; k++) {
            m = Math.max(m, Math.abs(a[k] - b[k]));
        }
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0.0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The expert counts of {@code batch} as a two-pass counting pass produces them. */
    static long[] counts(MoeModel model, double[] params, List<MoeExample> batch) {
        MoeModel twoPass = new MoeModel(withBalance(model.config(), BalanceMode.GLOBAL_TWO_PASS));
        SimpleStepContext ctx = SimpleStepContext.of(1, 0);
        twoPass.contributeStatistics(params, batch, ctx);
        return ctx.local(twoPass.countStatistic());
    }
}
