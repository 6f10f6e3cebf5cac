package io.concord.data.moe;

import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.MoeConfig;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.RoutingTally;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A short global-batch training run on generated multi-domain data learns, for every balance mode. */
class MoeTrainingTest {

    @Test
    void globalTwoPassTrainingOnGeneratedFeaturesLearnsTheDomainRules() {
        FeatureDomains data = new FeatureDomains(new FeatureDomains.Config(4, 6, 3, 3.0, 0.0), 5);
        MoeModel model = new MoeModel(MoeConfig.classification(6, 3).modelDim(12).experts(8, 2).expertHidden(12)
                .lblCoeff(0.01).balance(BalanceMode.GLOBAL_TWO_PASS).domains(4).build());
        SimulatedMoeTraining.Outcome out = SimulatedMoeTraining.train(model, data, 4, 16, 150, 0.01, 1);
        RoutingTally heldOut = SimulatedMoeTraining.evaluate(model, out.params(), data, 1_000_000, 1000);
        // Chance is ln 3 ≈ 1.10 and 1/3.
        assertThat(heldOut.meanTaskLoss()).isLessThan(0.5 * Math.log(3));
        assertThat(heldOut.accuracy()).isGreaterThan(0.75);
    }

    @Test
    void everyModeTrainsTheNextTokenModel() {
        TokenDomains data = new TokenDomains(new TokenDomains.Config(4, 44, 4, 10, 2, 0.1, 0.0), 5);
        for (BalanceMode mode : BalanceMode.values()) {
            MoeModel model = new MoeModel(MoeConfig.nextToken(44).modelDim(8).experts(4, 1).expertHidden(8)
                    .lblCoeff(0.01).balance(mode).domains(4).build());
            SimulatedMoeTraining.Outcome out = SimulatedMoeTraining.train(model, data, 3, 2, 80, 0.02, 1);
            RoutingTally heldOut = SimulatedMoeTraining.evaluate(model, out.params(), data, 1_000_000, 100);
            assertThat(heldOut.meanTaskLoss()).as(mode.name()).isLessThan(0.5 * Math.log(44));
        }
    }
}
