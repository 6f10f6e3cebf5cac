package io.concord.data.moe;

import io.concord.core.moe.MoeExample;
import io.concord.core.util.Seeds;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Classification data from several domains with distinct input distributions and distinct labelling rules: domain d
 * draws {@code x = μ_d + σ_d ⊙ ε} (ε standard normal, μ_d a random centre of scale {@code separation}, σ_d a random
 * per-coordinate scale in about [0.5, 2]) and labels it {@code argmax_c (T_d·ε)_c} with its own random teacher
 * matrix T_d. No single linear rule fits all domains, while the domain is recognisable from x, so experts that
 * specialise by domain help.
 */
public final class FeatureDomains implements DomainDataGenerator {

    /**
     * @param numDomains {@code data.domains}: 2..64 (the issue asks for 4–8)
     * @param dim        {@code data.dim}: feature dimension
     * @param numClasses {@code data.classes}: labels in [0, numClasses)
     * @param separation {@code data.separation}: scale of the domain centres (≥ 0; 0 = overlapping domains)
     * @param domainSkew {@code data.domainSkew}: domain frequency ∝ 1/(d+1)^skew (0 = equally frequent)
     */
    public record Config(int numDomains, int dim, int numClasses, double separation, double domainSkew) {
        public Config {
            if (numDomains < 2 || numDomains > 64) {
                throw new IllegalArgumentException("data.domains must be in [2, 64], got " + numDomains);
            }
            if (dim < 1) {
                throw new IllegalArgumentException("data.dim must be >= 1, got " + dim);
            }
            if (numClasses < 2) {
                throw new IllegalArgumentException("data.classes must be >= 2, got " + numClasses);
            }
            if (!(separation >= 0) || Double.isInfinite(separation)) {
                throw new IllegalArgumentException("data.separation must be finite and >= 0, got " + separation);
            }
            if (!(domainSkew >= 0) || Double.isInfinite(domainSkew)) {
                throw new IllegalArgumentException("data.domainSkew must be finite and >= 0, got " + domainSkew);
            }
        }
    }

    private final Config config;
    private final long seed;
    private final double[][] centres;
    private final double[][] scales;
    private final double[][][] teachers;
    private final double[] cumulative;

    public FeatureDomains(Config config, long seed) {
        this.config = config;
        this.seed = seed;
        int n = config.numDomains();
        centres = new double[n][config.dim()];
        scales = new double[n][config.dim()];
        teachers = new double[n][config.numClasses()][config.dim()];
        for (int d = 0; d < n; d++) {
            SplittableRandom r = Seeds.stream(seed, 0xD0A1L, d);
            for (int j = 0; j < config.dim(); j++) {
                centres[d][j] = config.separation() * Seeds.gaussian(r);
                scales[d][j] = Math.exp(0.35 * Seeds.gaussian(r));
            }
            for (double[] row : teachers[d]) {
                for (int j = 0; j < config.dim(); j++) {
                    row[j] = Seeds.gaussian(r);
                }
            }
        }
        cumulative = DomainDataGenerator.cumulativeDomainWeights(n, config.domainSkew());
    }

    public Config config() {
        return config;
    }

    @Override
    public int numDomains() {
        return config.numDomains();
    }

    @Override
    public List<String> domainNames() {
        return DomainDataGenerator.defaultNames(config.numDomains());
    }

    /** Centre μ_d of domain {@code d} (a copy). */
    public double[] centre(int d) {
        return centres[d].clone();
    }

    @Override
    public MoeExample example(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("example index must be >= 0, got " + index);
        }
        SplittableRandom r = DomainDataGenerator.exampleStream(seed, index);
        int d = DomainDataGenerator.drawDomain(cumulative, r);
        int dim = config.dim();
        double[] eps = new double[dim];
        float[] x = new float[dim];
        for (int j = 0; j < dim; j++) {
            eps[j] = Seeds.gaussian(r);
            x[j] = (float) (centres[d][j] + scales[d][j] * eps[j]);
        }
        int label = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < config.numClasses(); c++) {
            double s = 0.0;
            for (int j = 0; j < dim; j++) {
                s += teachers[d][c][j] * eps[j];
            }
            if (s > best) {
                best = s;
                label = c;
            }
        }
        return MoeExample.features(x, label, d);
    }
}
