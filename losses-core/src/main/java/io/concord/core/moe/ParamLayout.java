package io.concord.core.moe;

import java.io.Serializable;

/**
 * Offsets of every block in a {@link MoeModel}'s flat parameter vector. All matrices are row-major
 * {@code [out × in]}.
 *
 * <pre>
 * input      classification: W_in [d × D], b_in [d]        next-token: embedding [V × d]
 * layer l    router W_r [N_E × d]
 *            expert e: W1 [H × d], b1 [H], W2 [d × H], b2 [d]     (e = 0..N_E−1)
 *            shared:   W1 [Hs × d], b1 [Hs], W2 [d × Hs], b2 [d]  (if Hs &gt; 0)
 * head       W_o [C × d], b_o [C]
 * </pre>
 */
final class ParamLayout implements Serializable {

    private static final long serialVersionUID = 1L;

    final int d;
    final int inputWeights;
    final int inputBias;
    final int[] router;
    final int[][] expert;
    final int[] shared;
    final int headWeights;
    final int headBias;
    final int size;
    private final int expertHidden;
    private final int sharedHidden;

    ParamLayout(MoeConfig c) {
        d = c.modelDim();
        expertHidden = c.expertHidden();
        sharedHidden = c.sharedExpertHidden();
        int o = 0;
        inputWeights = o;
        if (c.task() == MoeTask.CLASSIFICATION) {
            o += d * c.inputDim();
            inputBias = o;
            o += d;
        } else {
            o += c.vocabSize() * d;
            inputBias = -1;
        }
        router = new int[c.numLayers()];
        expert = new int[c.numLayers()][c.numExperts()];
        shared = new int[c.numLayers()];
        for (int l = 0; l < c.numLayers(); l++) {
            router[l] = o;
            o += c.numExperts() * d;
            for (int e = 0; e < c.numExperts(); e++) {
                expert[l][e] = o;
                o += mlpSize(expertHidden);
            }
            shared[l] = o;
            o += sharedHidden > 0 ? mlpSize(sharedHidden) : 0;
        }
        headWeights = o;
        o += c.numClasses() * d;
        headBias = o;
        o += c.numClasses();
        size = o;
    }

    private int mlpSize(int hidden) {
        return hidden * d + hidden + d * hidden + d;
    }

    /** Offsets {W1, b1, W2, b2} of the MLP whose block starts at {@code base} with {@code hidden} units. */
    Mlp mlp(int base, int hidden) {
        int w1 = base;
        int b1 = w1 + hidden * d;
        int w2 = b1 + hidden;
        int b2 = w2 + d * hidden;
        return new Mlp(w1, b1, w2, b2, hidden);
    }

    Mlp expertMlp(int layer, int e) {
        return mlp(expert[layer][e], expertHidden);
    }

    Mlp sharedMlp(int layer) {
        return mlp(shared[layer], sharedHidden);
    }

    record Mlp(int w1, int b1, int w2, int b2, int hidden) {
    }
}
