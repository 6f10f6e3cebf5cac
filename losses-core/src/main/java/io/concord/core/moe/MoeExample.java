package io.concord.core.moe;

import java.util.Arrays;
import java.util.Objects;

/**
 * One example for a {@link MoeModel}: either a dense feature vector with a class label (classification) or a token
 * sequence (next-token prediction), plus the example's domain, which is kept for analysis only (per-domain expert
 * frequencies, specialisation) and is never an input to the model.
 *
 * <p>A plain final class with array fields rather than a record so that Kryo 4 (Spark's) serialises it with its
 * default field serializer.
 */
public final class MoeExample {

    /** Domain index of an example whose domain is unknown. */
    public static final int UNKNOWN_DOMAIN = -1;

    private final float[] features;
    private final int[] tokens;
    private final int label;
    private final int domain;

    private MoeExample(float[] features, int[] tokens, int label, int domain) {
        if (domain < UNKNOWN_DOMAIN) {
            throw new IllegalArgumentException("domain must be >= 0 (or -1 for unknown), got " + domain);
        }
        this.features = features;
        this.tokens = tokens;
        this.label = label;
        this.domain = domain;
    }

    /** A classification example. */
    public static MoeExample features(float[] features, int label, int domain) {
        Objects.requireNonNull(features, "features");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        return new MoeExample(features, null, label, domain);
    }

    /** A token sequence for next-token prediction; a sequence of n tokens gives n − 1 predictions. */
    public static MoeExample tokens(int[] tokens, int domain) {
        Objects.requireNonNull(tokens, "tokens");
        for (int t : tokens) {
            if (t < 0) {
                throw new IllegalArgumentException("token ids must be >= 0, got " + t);
            }
        }
        return new MoeExample(null, tokens, -1, domain);
    }

    public boolean hasFeatures() {
        return features != null;
    }

    /** The feature vector (classification examples only). */
    public float[] features() {
        if (features == null) {
            throw new IllegalStateException("this example is a token sequence, not a feature vector");
        }
        return features;
    }

    /** The token ids (sequence examples only). */
    public int[] tokens() {
        if (tokens == null) {
            throw new IllegalStateException("this example is a feature vector, not a token sequence");
        }
        return tokens;
    }

    /** The class label (classification examples only). */
    public int label() {
        if (features == null) {
            throw new IllegalStateException("token sequences have no class label");
        }
        return label;
    }

    public int domain() {
        return domain;
    }

    /** Number of routed positions (= predictions) this example contributes. */
    public int positions() {
        return features != null ? 1 : Math.max(0, tokens.length - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MoeExample other && label == other.label && domain == other.domain
                && Arrays.equals(features, other.features) && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(features), Arrays.hashCode(tokens), label, domain);
    }

    @Override
    public String toString() {
        return features != null
                ? "MoeExample{features=" + Arrays.toString(features) + ", label=" + label + ", domain=" + domain + '}'
                : "MoeExample{tokens=" + Arrays.toString(tokens) + ", domain=" + domain + '}';
    }
}
