package io.concord.core.optim;

/**
 * One Adam moment update and the resulting parameter increment, shared by the optimizers that run Adam on part of
 * the parameters (Fira, FRUGAL). {@link #torch} is torch's form ({@code √v/√(1−β2^t) + eps}), {@link #hf} the
 * HuggingFace form ({@code √v + eps} with the bias corrections folded into the step size).
 */
final class AdamKernel {

    // read directly by AdamLanes, the SIMD form of update()
    final float stepSize;
    final float invSqrtBc2;
    final float b1;
    final float b2;
    final float oneMinusB1;
    final float oneMinusB2;
    final float eps;

    private AdamKernel(float stepSize, float invSqrtBc2, double beta1, double beta2, float eps) {
        this.stepSize = stepSize;
        this.invSqrtBc2 = invSqrtBc2;
        this.b1 = (float) beta1;
        this.b2 = (float) beta2;
        this.oneMinusB1 = (float) (1.0 - beta1);
        this.oneMinusB2 = (float) (1.0 - beta2);
        this.eps = eps;
    }

    static AdamKernel torch(double lr, double beta1, double beta2, double eps, long t) {
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        return new AdamKernel((float) (lr / bc1), (float) (1.0 / Math.sqrt(bc2)), beta1, beta2, (float) eps);
    }

    static AdamKernel hf(double lr, double beta1, double beta2, double eps, long t) {
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        return new AdamKernel((float) (lr * Math.sqrt(bc2) / bc1), 1.0f, beta1, beta2, (float) eps);
    }

    /** Updates the moments at {@code state[mIndex]}, {@code state[vIndex]} with g and returns the increment of θ. */
    float update(float g, float[] state, int mIndex, int vIndex) {
        float m = b1 * state[mIndex] + oneMinusB1 * g;
        float v = b2 * state[vIndex] + oneMinusB2 * g * g;
        state[mIndex] = m;
        state[vIndex] = v;
        return -stepSize * m / ((float) Math.sqrt(v) * invSqrtBc2 + eps);
    }

    float stepSize() {
        return stepSize;
    }
}
