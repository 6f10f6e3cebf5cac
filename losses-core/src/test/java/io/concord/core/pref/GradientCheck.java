package io.concord.core.pref;

import io.concord.core.model.BatchLoss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Central finite differences of an objective's loss sum with respect to the policy log-probabilities. */
final class GradientCheck {

    private GradientCheck() {
    }

    static void assertGradient(SequenceObjective loss, LogProbBatch batch) {
        double[] grad = new double[batch.size()];
        loss.valueAndGradient(batch, grad);
        double h = 1e-6;
        for (int i = 0; i < batch.size(); i++) {
            double[] plus = batch.policyCopy();
            double[] minus = batch.policyCopy();
            plus[i] += h;
            minus[i] -= h;
            double fp = loss.valueAndGradient(batch.withPolicy(plus), new double[batch.size()]).lossSum();
            double fm = loss.valueAndGradient(batch.withPolicy(minus), new double[batch.size()]).lossSum();
            double numeric = (fp - fm) / (2 * h);
            assertThat(grad[i]).as("%s: d loss / d lp[%d]", loss.name(), i)
                    .isCloseTo(numeric, within(1e-7 * Math.max(1.0, Math.abs(numeric))));
        }
    }

    static BatchLoss value(SequenceObjective loss, LogProbBatch batch) {
        return loss.valueAndGradient(batch, new double[batch.size()]);
    }
}
