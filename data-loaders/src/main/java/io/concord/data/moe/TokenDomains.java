package io.concord.data.moe;

import io.concord.core.moe.MoeExample;
import io.concord.core.util.Seeds;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Token sequences from several domains, each a first-order Markov chain with its own vocabulary: ids
 * {@code [0, sharedTokens)} are common to all domains (function words), and each domain owns a block of
 * {@code (vocabSize − sharedTokens) / numDomains} ids. From token a, domain d emits a uniformly drawn shared token
 * with probability {@code sharedRate}, otherwise one of {@code successors} fixed successors of a inside its own block
 * (chosen by a hash of (seed, d, a, slot)). So the next-token distribution depends on the domain, which the model can
 * only infer from the tokens themselves (shared tokens are ambiguous).
 */
public final class TokenDomains implements DomainDataGenerator {

    /**
     * @param numDomains   {@code data.domains}: 2..64
     * @param vocabSize    {@code data.vocabSize}
     * @param sharedTokens {@code data.sharedTokens}: ids common to all domains, ≥ 0
     * @param seqLength    {@code data.seqLength}: tokens per sequence, ≥ 2
     * @param successors   {@code data.successors}: successors per token inside a domain block, ≥ 1
     * @param sharedRate   {@code data.sharedRate}: probability of emitting a shared token, in [0, 1)
     * @param domainSkew   {@code data.domainSkew}: domain frequency ∝ 1/(d+1)^skew
     */
    public record Config(int numDomains, int vocabSize, int sharedTokens, int seqLength, int successors,
                         double sharedRate, double domainSkew) {
        public Config {
            if (numDomains < 2 || numDomains > 64) {
                throw new IllegalArgumentException("data.domains must be in [2, 64], got " + numDomains);
            }
            if (sharedTokens < 0) {
                throw new IllegalArgumentException("data.sharedTokens must be >= 0, got " + sharedTokens);
            }
            if (seqLength < 2) {
                throw new IllegalArgumentException("data.seqLength must be >= 2, got " + seqLength);
            }
            if (successors < 1) {
                throw new IllegalArgumentException("data.successors must be >= 1, got " + successors);
            }
            if ((vocabSize - sharedTokens) / numDomains < successors) {
                throw new IllegalArgumentException("data.vocabSize=" + vocabSize + " leaves blocks of "
                        + Math.max(0, (vocabSize - sharedTokens) / numDomains) + " ids per domain, fewer than "
                        + "data.successors=" + successors);
            }
            if (!(sharedRate >= 0 && sharedRate < 1)) {
                throw new IllegalArgumentException("data.sharedRate must be in [0, 1), got " + sharedRate);
            }
            if (sharedRate > 0 && sharedTokens == 0) {
                throw new IllegalArgumentException("data.sharedRate > 0 needs data.sharedTokens > 0");
            }
            if (!(domainSkew >= 0) || Double.isInfinite(domainSkew)) {
                throw new IllegalArgumentException("data.domainSkew must be finite and >= 0, got " + domainSkew);
            }
        }

        /** Ids owned by each domain. */
        public int blockSize() {
            return (vocabSize - sharedTokens) / numDomains;
        }
    }

    private final Config config;
    private final long seed;
    private final double[] cumulative;

    public TokenDomains(Config config, long seed) {
        this.config = config;
        this.seed = seed;
        this.cumulative = DomainDataGenerator.cumulativeDomainWeights(config.numDomains(), config.domainSkew());
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

    /** First id of domain {@code d}'s block. */
    public int blockStart(int d) {
        return config.sharedTokens() + d * config.blockSize();
    }

    /** The {@code slot}-th successor of token {@code a} in domain {@code d}. */
    public int successor(int d, int a, int slot) {
        long h = Seeds.mix(seed, 0x5CCL, d, a, slot);
        return blockStart(d) + (int) Math.floorMod(h, (long) config.blockSize());
    }

    @Override
    public MoeExample example(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("example index must be >= 0, got " + index);
        }
        SplittableRandom r = DomainDataGenerator.exampleStream(seed, index);
        int d = DomainDataGenerator.drawDomain(cumulative, r);
        int[] t = new int[config.seqLength()];
        t[0] = blockStart(d) + r.nextInt(config.blockSize());
        for (int j = 1; j < t.length; j++) {
            if (config.sharedRate() > 0 && r.nextDouble() < config.sharedRate()) {
                t[j] = r.nextInt(config.sharedTokens());
            } else {
                t[j] = successor(d, t[j - 1], r.nextInt(config.successors()));
            }
        }
        return MoeExample.tokens(t, d);
    }
}
