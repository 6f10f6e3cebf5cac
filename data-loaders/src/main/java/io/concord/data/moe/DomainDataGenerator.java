package io.concord.data.moe;

import io.concord.core.moe.MoeExample;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic multi-domain data source: example {@code i} is a pure function of (seed, i), so any partition can
 * generate its own slice, and a rerun or a retried task sees identical data. The domain is recorded in every
 * example for analysis only.
 */
public interface DomainDataGenerator {

    int numDomains();

    /** Display names of the domains, index = domain id. */
    List<String> domainNames();

    /** Example number {@code index} (≥ 0). */
    MoeExample example(long index);

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    default List<MoeExample> examples(long from, long to) {
        if (from < 0 || to < from || to - from > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad example range [" + from + ", " + to + ")");
        }
        List<MoeExample> out = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            out.add(example(i));
        }
        return out;
    }

    /** Names {@code domain-0 … domain-(n−1)}. */
    static List<String> defaultNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            names.add("domain-" + d);
        }
        return List.copyOf(names);
    }

    /**
     * Cumulative domain probabilities {@code ∝ 1/(d+1)^skew}: skew 0 gives equally frequent domains, larger skew a
     * few dominant domains.
     */
    static double[] cumulativeDomainWeights(int numDomains, double skew) {
        double[] cum = new double[numDomains];
        double total = 0.0;
        for (int d = 0; d < numDomains; d++) {
            total += Math.pow(d + 1, -skew);
            cum[d] = total;
        }
        for (int d = 0; d < numDomains; d++) {
            cum[d] /= total;
        }
        cum[numDomains - 1] = 1.0;
        return cum;
    }

    static int drawDomain(double[] cumulative, SplittableRandom r) {
        double u = r.nextDouble();
        for (int d = 0; d < cumulative.length; d++) {
            if (u < cumulative[d]) {
                return d;
            }
        }
        return cumulative.length - 1;
    }

    /** The random stream of example {@code index}. */
    static SplittableRandom exampleStream(long seed, long index) {
        return Seeds.stream(seed, 0xE8A3L, index);
    }
}
