package io.concord.core.optim;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
/**
 * Stochastic gradient descent with optional heavy-ball momentum, Nesterov momentum and coupled L2 weight decay, as
 * {@code torch.optim.SGD} defines them (dampening 0): {@code g ← g + λθ; v ← μv + g; θ ← θ − lr·(nesterov ? g + μv : v)}.
 */
public final class Sgd implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;

    public Sgd(double learningRate, double momentum, double weightDecay, boolean nesterov) {
        Checks.positive("lr", learningRate);
        Checks.inRange("momentum", momentum, 0.0, 1.0, true, false);
        Checks.nonNegative("weightDecay", weightDecay);
        if (nesterov && momentum == 0.0) {
            throw new ParamException("nesterov", "requires momentum > 0");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public static Sgd plain(double learningRate) {
        return new Sgd(learningRate, 0.0, 0.0, false);
    }

    @Override
    public String name() {
        return "sgd";
    }

    public double learningRate() {
        return learningRate;
    }

    @Override
    public int stateSize(int numParams) {
        return momentum == 0.0 ? 0 : numParams;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        final float lr = (float) learningRate;
        final float mu = (float) momentum;
        final float wd = (float) weightDecay;
        final int n = params.length;
        if (momentum == 0.0) {
            for (int i = 0; i < n; i++) {
                params[i] -= lr * (grad[i] + wd * params[i]);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float g = grad[i] + wd * params[i];
            float v = mu * state[i] + g;
            state[i] = v;
            params[i] -= lr * (nesterov ? g + mu * v : v);
        }
    }

    @Override
    public boolean elementWise() {
        return true;
    }
}
