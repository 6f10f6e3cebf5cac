package io.concord.data.synthetic;

import io.concord.core.param.ParamException;
import io.concord.core.model.LabeledVector;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.io.Serializable;

/**
 * Generated classification data: {@code numClasses} Gaussian clusters in {@code dimension} dimensions with seeded
 * centres at distance {@code separation}, unit noise, and optional symmetric label noise (a fraction of labels replaced
 * by a uniformly drawn other class). The clean label is kept separately so benchmarks can measure clean accuracy.
 *
 * @param dimension   feature dimension
 * @param numClasses  number of classes
 * @param separation  scale of the class centres (larger = easier)
 * @param labelNoise  fraction of training labels flipped to another class, in [0, 1)
 */
public record GaussianClasses(int dimension, int numClasses, double separation, double labelNoise)
        implements Serializable {

    public GaussianClasses {
        if (dimension <= 0) {
            throw new ParamException("data.dimension", "must be > 0, got " + dimension);
        }
        if (numClasses < 2) {
            throw new ParamException("data.numClasses", "must be >= 2, got " + numClasses);
        }
        if (!(separation > 0)) {
            throw new ParamException("data.separation", "must be > 0, got " + separation);
        }
        if (!(labelNoise >= 0 && labelNoise < 1)) {
            throw new ParamException("data.labelNoise", "must be in [0, 1), got " + labelNoise);
        }
    }

    /** Examples {@code [from, from+count)} of the stream for {@code seed}; any slice is reproducible on its own. */
    public List<LabeledVector> generate(long seed, long from, int count) {
        float[][] centres = centres(seed);
        List<LabeledVector> out = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            out.add(example(seed, i, centres, true));
        }
        return out;
    }

    /** The same examples with their clean labels (no label noise): the evaluation view. */
    public List<LabeledVector> generateClean(long seed, long from, int count) {
        float[][] centres = centres(seed);
        List<LabeledVector> out = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            out.add(example(seed, i, centres, false));
        }
        return out;
    }

    private LabeledVector example(long seed, long index, float[][] centres, boolean noisy) {
        SplittableRandom random = Seeds.stream(seed, 0xE8A3L, index);
        int label = random.nextInt(numClasses);
        float[] x = new float[dimension];
        for (int j = 0; j < dimension; j++) {
            x[j] = (float) (centres[label][j] + Seeds.gaussian(random));
        }
        double flip = random.nextDouble();
        int other = random.nextInt(numClasses - 1);
        if (noisy && flip < labelNoise) {
            label = other >= label ? other + 1 : other;
        }
        return new LabeledVector(x, label, index);
    }

    private float[][] centres(long seed) {
        SplittableRandom random = Seeds.stream(seed, 0xCE47L);
        float[][] c = new float[numClasses][dimension];
        for (int k = 0; k < numClasses; k++) {
            double norm = 0;
            for (int j = 0; j < dimension; j++) {
                c[k][j] = (float) Seeds.gaussian(random);
                norm += c[k][j] * (double) c[k][j];
            }
            double scale = separation / Math.sqrt(norm);
            for (int j = 0; j < dimension; j++) {
                c[k][j] *= (float) scale;
            }
        }
        return c;
    }
}
