package io.concord.core.calib;

import io.concord.core.param.ParamException;
/** Per-head penalty ρ(r) of the supervised term, r = predicted − true normalized value. */
public enum SupervisedPenalty {
    /** {@code |r|}: the reference's Keras "mae". Gradient sign(r), 0 at r = 0. */
    L1,
    /** {@code r²/2}. */
    L2,
    /** Smooth L1: {@code r²/(2δ)} for {@code |r| ≤ δ}, else {@code |r| − δ/2}; tends to L1 as δ → 0. */
    HUBER;

    /** ρ(r); writes ρ'(r) into {@code derivative[0]} when it is not null. */
    public double apply(double r, double delta, double[] derivative) {
        double value;
        double slope;
        switch (this) {
            case L1 -> {
                value = Math.abs(r);
                slope = Math.signum(r);
            }
            case L2 -> {
                value = 0.5 * r * r;
                slope = r;
            }
            case HUBER -> {
                double a = Math.abs(r);
                if (a <= delta) {
                    value = 0.5 * r * r / delta;
                    slope = r / delta;
                } else {
                    value = a - 0.5 * delta;
                    slope = Math.signum(r);
                }
            }
            default -> throw new IllegalStateException(name());
        }
        if (derivative != null) {
            derivative[0] = slope;
        }
        return value;
    }

    public static SupervisedPenalty ofName(String key, String name) {
        for (SupervisedPenalty p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new ParamException(key, "'" + name + "' is not allowed; must be one of l1, l2, huber");
    }
}
