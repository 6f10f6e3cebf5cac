package io.concord.core.pref;

/**
 * Gradient entanglement between the chosen and rejected log-probabilities of one pair (Yuan et al., arXiv 2410.13828;
 * reference code HumainLab/Understand_MarginPO {@code analysis/grad_plot.py}): with {@code g_w = ∇_θ lp(y_w)} and
 * {@code g_l = ∇_θ lp(y_l)} flattened over all trainable parameters,
 * <ul>
 *   <li>{@code inner = ⟨g_w, g_l⟩}, {@code cosine = inner / (‖g_w‖·‖g_l‖)}, both norms;</li>
 *   <li>{@code ratioChosen = inner/‖g_w‖²} and {@code ratioRejected = inner/‖g_l‖²};</li>
 *   <li>{@code condition = inner / min(‖g_w‖², ‖g_l‖²)}. The reference code writes {@code min(‖g_w‖², ‖g_w‖²)}, very
 *       likely a typo; this is the intended form (= max of the two ratios when inner &gt; 0).</li>
 * </ul>
 * First-order reading [derived]: a step on a margin loss whose gradient is {@code −(d_w·g_w − d_l·g_l)} lowers the
 * chosen log-probability iff {@code ratioChosen > d_w/d_l} and raises the rejected one iff
 * {@code ratioRejected > d_l/d_w} (DPO/IPO: d_w = d_l; SimPO: d = 1/|y|).
 *
 * @param inner           ⟨g_w, g_l⟩
 * @param squaredChosen   ‖g_w‖²
 * @param squaredRejected ‖g_l‖²
 */
public record GradientEntanglement(double inner, double squaredChosen, double squaredRejected) {

    /** Computes the statistics of two flat gradient vectors of equal length (accumulated in double). */
    public static GradientEntanglement of(double[] gradChosen, double[] gradRejected) {
        if (gradChosen.length != gradRejected.length) {
            throw new IllegalArgumentException("gradient lengths differ: " + gradChosen.length + " and "
                    + gradRejected.length);
        }
        double inner = 0.0;
        double ww = 0.0;
        double ll = 0.0;
        for (int i = 0; i < gradChosen.length; i++) {
            inner += gradChosen[i] * gradRejected[i];
            ww += gradChosen[i] * gradChosen[i];
            ll += gradRejected[i] * gradRejected[i];
        }
        return new GradientEntanglement(inner, ww, ll);
    }

    public static GradientEntanglement of(float[] gradChosen, float[] gradRejected) {
        double[] w = new double[gradChosen.length];
        double[] l = new double[gradRejected.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = gradChosen[i];
        }
        for (int i = 0; i < l.length; i++) {
            l[i] = gradRejected[i];
        }
        return of(w, l);
    }

    public double normChosen() {
        return Math.sqrt(squaredChosen);
    }

    public double normRejected() {
        return Math.sqrt(squaredRejected);
    }

    public double cosine() {
        return inner / Math.sqrt(squaredChosen * squaredRejected);
    }

    public double ratioChosen() {
        return inner / squaredChosen;
    }

    public double ratioRejected() {
        return inner / squaredRejected;
    }

    public double condition() {
        return inner / Math.min(squaredChosen, squaredRejected);
    }

    /** A gradient step with per-term weights d_w, d_l lowers lp(y_w) to first order. */
    public boolean chosenFalls(double dChosen, double dRejected) {
        return ratioChosen() > dChosen / dRejected;
    }

    /** A gradient step with per-term weights d_w, d_l raises lp(y_l) to first order. */
    public boolean rejectedRises(double dChosen, double dRejected) {
        return ratioRejected() > dRejected / dChosen;
    }

    /** {@code max(ratioChosen, ratioRejected) > 1}: entangled for equal weights (DPO, IPO). */
    public boolean entangled() {
        return Math.max(ratioChosen(), ratioRejected()) > 1.0;
    }
}
