package io.concord.core.pref;

import io.concord.core.param.ParamException;
/**
 * SALSA-style reference model (Chegini et al., arXiv 2411.01798): a weight-space average ("soup") of independently
 * fine-tuned parameter vectors, used as the frozen KL/log-prob reference. The paper's averaging coefficient is not
 * confirmed from its text; 0.5 (a uniform soup of two) is the natural default.
 */
public final class ModelSoup {

    private ModelSoup() {
    }

    /** {@code (1 − α)·a + α·b}, computed in double and rounded once. */
    public static float[] average(float[] a, float[] b, double alpha) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("parameter vectors differ in length: " + a.length + " and " + b.length);
        }
        if (!(alpha >= 0.0 && alpha <= 1.0)) {
            throw new ParamException("soup.alpha", "" + alpha + " is not allowed; must be in [0, 1]");
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) ((1.0 - alpha) * a[i] + alpha * (double) b[i]);
        }
        return out;
    }

    /** Uniform average of any number of equally long vectors. */
    public static float[] uniform(float[]... members) {
        if (members.length == 0) {
            throw new IllegalArgumentException("a soup needs at least one parameter vector");
        }
        int n = members[0].length;
        double[] sum = new double[n];
        for (float[] m : members) {
            if (m.length != n) {
                throw new IllegalArgumentException("parameter vectors differ in length: " + n + " and " + m.length);
            }
            for (int i = 0; i < n; i++) {
                sum[i] += m[i];
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sum[i] / members.length);
        }
        return out;
    }
}
