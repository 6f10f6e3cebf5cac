package io.concord.core.moe;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable routing and loss sums over any set of routed tokens (one batch, one partition's round, a held-out
 * domain set): per MoE layer the expert selection counts and probability mass, overall and per domain, plus the
 * task-loss sums. Everything is a sum, so tallies of disjoint token sets {@link #merge} into the tally of their
 * union, in any order; metrics are derived afterwards by {@link #layer(int)}.
 *
 * <p>Plain arrays and ints only, so Kryo serialises it with its default field serializer. It is also
 * {@link java.io.Serializable}: as part of a TWO_PASS round's statistics it rides in the engine's statistics-pass
 * accumulator, whose task-side updates Spark returns with Java serialization. Tokens whose domain is
 * unknown or outside {@code [0, numDomains)} count in the totals but not in the per-domain tables.
 */
public final class RoutingTally implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numLayers;
    private final int numExperts;
    private final int topK;
    private final int numDomains;
    private long tokens;
    private long correct;
    private double taskLossSum;
    private final long[] domainTokens;
    private final long[] counts;
    private final long[] domainCounts;
    private final double[] probSums;
    private final double[] topKScoreSums;
    private final double[] domainTopKScoreSums;
    private final double[] zLossSums;

    public RoutingTally(int numLayers, int numExperts, int topK, int numDomains) {
        if (numLayers <= 0 || numExperts <= 0 || topK <= 0 || topK > numExperts || numDomains < 0) {
            throw new IllegalArgumentException("bad tally shape: layers=" + numLayers + ", experts=" + numExperts
                    + ", topK=" + topK + ", domains=" + numDomains);
        }
        this.numLayers = numLayers;
        this.numExperts = numExperts;
        this.topK = topK;
        this.numDomains = numDomains;
        domainTokens = new long[numDomains];
        counts = new long[numLayers * numExperts];
        domainCounts = new long[numLayers * numDomains * numExperts];
        probSums = new double[numLayers * numExperts];
        topKScoreSums = new double[numLayers];
        domainTopKScoreSums = new double[numLayers * numDomains];
        zLossSums = new double[numLayers];
    }

    /** An empty tally shaped for {@code config}. */
    public static RoutingTally empty(MoeConfig config) {
        return new RoutingTally(config.numLayers(), config.numExperts(), config.topK(), config.numDomains());
    }

    private RoutingTally(RoutingTally o) {
        numLayers = o.numLayers;
        numExperts = o.numExperts;
        topK = o.topK;
        numDomains = o.numDomains;
        tokens = o.tokens;
        correct = o.correct;
        taskLossSum = o.taskLossSum;
        domainTokens = o.domainTokens.clone();
        counts = o.counts.clone();
        domainCounts = o.domainCounts.clone();
        probSums = o.probSums.clone();
        topKScoreSums = o.topKScoreSums.clone();
        domainTopKScoreSums = o.domainTopKScoreSums.clone();
        zLossSums = o.zLossSums.clone();
    }

    public RoutingTally copy() {
        return new RoutingTally(this);
    }

    /**
     * Adds one routed token: its routing trace, its domain, its task loss and whether the head's arg-max was right
     * (both ignored when {@code withLoss} is false).
     */
    void add(MoeNetwork.Trace t, int domain, boolean withLoss, double taskLoss, boolean isCorrect) {
        boolean known = domain >= 0 && domain < numDomains;
        tokens++;
        if (known) {
            domainTokens[domain]++;
        }
        if (withLoss) {
            taskLossSum += taskLoss;
            if (isCorrect) {
                correct++;
            }
        }
        for (int l = 0; l < numLayers; l++) {
            double[] p = t.probs[l];
            for (int e = 0; e < numExperts; e++) {
                probSums[l * numExperts + e] += p[e];
            }
            double score = t.topKScore(l);
            topKScoreSums[l] += score;
            zLossSums[l] += t.logSumExp[l] * t.logSumExp[l];
            for (int e : t.top[l]) {
                counts[l * numExperts + e]++;
                if (known) {
                    domainCounts[(l * numDomains + domain) * numExperts + e]++;
                }
            }
            if (known) {
                domainTopKScoreSums[l * numDomains + domain] += score;
            }
        }
    }

    /** Adds {@code other} into this tally and returns this. */
    public RoutingTally merge(RoutingTally other) {
        if (other.numLayers != numLayers || other.numExperts != numExperts || other.topK != topK
                || other.numDomains != numDomains) {
            throw new IllegalArgumentException("cannot merge routing tallies of different shapes: " + shape()
                    + " and " + other.shape());
        }
        tokens += other.tokens;
        correct += other.correct;
        taskLossSum += other.taskLossSum;
        addInto(domainTokens, other.domainTokens);
        addInto(counts, other.counts);
        addInto(domainCounts, other.domainCounts);
        addInto(probSums, other.probSums);
        addInto(topKScoreSums, other.topKScoreSums);
        addInto(domainTopKScoreSums, other.domainTopKScoreSums);
        addInto(zLossSums, other.zLossSums);
        return this;
    }

    private static void addInto(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    private String shape() {
        return "[layers=" + numLayers + ", experts=" + numExperts + ", topK=" + topK + ", domains=" + numDomains + "]";
    }

    public int numLayers() {
        return numLayers;
    }

    public int numExperts() {
        return numExperts;
    }

    public int topK() {
        return topK;
    }

    public int numDomains() {
        return numDomains;
    }

    /** Routed tokens (= predictions) tallied. */
    public long tokens() {
        return tokens;
    }

    public long domainTokens(int domain) {
        return domainTokens[domain];
    }

    /** Tokens whose top-K in {@code layer} contains {@code expert}. */
    public long count(int layer, int expert) {
        return counts[layer * numExperts + expert];
    }

    /** Mean task loss (cross-entropy) per routed token; NaN if none. */
    public double meanTaskLoss() {
        return tokens == 0 ? Double.NaN : taskLossSum / tokens;
    }

    /** Fraction of routed tokens whose arg-max prediction was right; NaN if none. */
    public double accuracy() {
        return tokens == 0 ? Double.NaN : (double) correct / tokens;
    }

    /** The expert counts in {@link ExpertCounts}' layout. */
    public long[] expertCounts() {
        long[] v = Arrays.copyOf(counts, counts.length + 1);
        v[counts.length] = tokens;
        return v;
    }

    /** Routing metrics of one MoE layer over the tallied tokens. */
    public LayerRouting layer(int l) {
        int ne = numExperts;
        double t = tokens;
        double[] selection = new double[ne];
        double lbl = 0.0;
        double maxF = 0.0;
        for (int e = 0; e < ne; e++) {
            double c = counts[l * ne + e];
            selection[e] = tokens == 0 ? 0.0 : c / t;
            double f = tokens == 0 ? 0.0 : c / (topK * t);
            double p = tokens == 0 ? 0.0 : probSums[l * ne + e] / t;
            lbl += f * p;
            maxF = Math.max(maxF, f);
        }
        lbl *= ne;
        double[][] domainFrequency = new double[numDomains][ne];
        double[] domainTopK = new double[numDomains];
        for (int dm = 0; dm < numDomains; dm++) {
            long td = domainTokens[dm];
            for (int e = 0; e < ne; e++) {
                domainFrequency[dm][e] = td == 0 ? 0.0 : domainCounts[(l * numDomains + dm) * ne + e] / (double) td;
            }
            domainTopK[dm] = td == 0 ? Double.NaN : domainTopKScoreSums[l * numDomains + dm] / td;
        }
        double[] mi = mutualInformation(l);
        return new LayerRouting(l, lbl, maxF * ne, selection,
                tokens == 0 ? Double.NaN : topKScoreSums[l] / t,
                tokens == 0 ? Double.NaN : zLossSums[l] / t,
                domainFrequency, domainTopK, mi[0], mi[1]);
    }

    /**
     * {I(domain; expert), I / H(domain)} in nats over tokens of known domain, where "expert" is one of the token's K
     * selections drawn uniformly: the joint is {@code p(d, i) = n_{d,i} / (K·T_known)}.
     */
    private double[] mutualInformation(int l) {
        int ne = numExperts;
        double total = 0.0;
        double[] pd = new double[numDomains];
        double[] pi = new double[ne];
        for (int dm = 0; dm < numDomains; dm++) {
            for (int e = 0; e < ne; e++) {
                double n = domainCounts[(l * numDomains + dm) * ne + e];
                total += n;
                pd[dm] += n;
                pi[e] += n;
            }
        }
        if (total == 0.0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mi = 0.0;
        double hd = 0.0;
        for (int dm = 0; dm < numDomains; dm++) {
            if (pd[dm] > 0) {
                double q = pd[dm] / total;
                hd -= q * Math.log(q);
            }
            for (int e = 0; e < ne; e++) {
                double n = domainCounts[(l * numDomains + dm) * ne + e];
                if (n > 0) {
                    mi += (n / total) * Math.log(n * total / (pd[dm] * pi[e]));
                }
            }
        }
        mi = Math.max(0.0, mi);
        return new double[] {mi, hd > 0 ? mi / hd : Double.NaN};
    }

    /** The per-layer metrics of all layers. */
    public LayerRouting[] layers() {
        LayerRouting[] out = new LayerRouting[numLayers];
        for (int l = 0; l < numLayers; l++) {
            out[l] = layer(l);
        }
        return out;
    }
}
