package io.concord.workload.ultragcn;

import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast recipe's rules applied to the official hyperparameters (reference ultragcn.md §1.8). */
class FastRecipeTest {

    @Test
    void gowallaGetsAFifthOfTheNegativesFourTimesTheBatchAndL2AndAWarmPhaseDownToTheOfficialRate() {
        UltraGcnPreset gowalla = UltraGcnPreset.GOWALLA;
        UltraGcnObjective official = gowalla.objective();
        FastRecipe recipe = FastRecipe.derive(official, gowalla.learningRate(), gowalla.batchSize(), 810_128);

        assertThat(recipe.negativeNum()).isEqualTo(300);            // 1500 / 5
        assertThat(recipe.batchScale()).isEqualTo(4);               // 810,128 / (4 · 512) = 395 steps ≥ 64
        assertThat(recipe.gamma()).isEqualTo(official.gamma() * 4);
        assertThat(recipe.learningRates()).containsExactly(2e-3, 2e-4, 1e-4);
        UltraGcnObjective applied = recipe.apply(official);
        assertThat(applied.negativeWeight()).as("the expected objective stays the official one")
                .isEqualTo(official.negativeWeight());
        assertThat(applied.negativeNum()).isEqualTo(300);
        assertThat(applied.lambda()).isEqualTo(official.lambda());
    }

    @Test
    void aSmallGraphAtAnOfficialRateOf1e3KeepsItsBatchCutsNegativesTo50AndWarmsAt5e3() {
        UltraGcnPreset electronics = UltraGcnPreset.AMAZON_ELECTRONICS;
        UltraGcnObjective official = electronics.objective();
        // 32,886 train positives, 2,048 per step: 16 steps per epoch, too few to double the batch
        FastRecipe recipe = FastRecipe.derive(official, electronics.learningRate(), 2048, 32_886);

        assertThat(recipe.negativeNum()).isEqualTo(50);             // max(min(75, 50), ceil(75 / 5))
        assertThat(recipe.batchScale()).isEqualTo(1);
        assertThat(recipe.gamma()).isEqualTo(official.gamma());
        assertThat(recipe.learningRates()).containsExactly(2e-3, electronics.learningRate());
    }

    @Test
    void anOfficialRateAboveTheWarmRateIsKeptAlone() {
        FastRecipe recipe = FastRecipe.derive(UltraGcnPreset.GOWALLA.objective(), 1e-2, 512, 810_128);
        assertThat(recipe.learningRates()).containsExactly(1e-2);
    }

    @Test
    void fewNegativesAreKeptAndTheBatchStopsGrowingWhenAnEpochWouldFallBelow64Steps() {
        UltraGcnObjective official = UltraGcnPreset.GOWALLA.objective().withNegativeNum(30);
        FastRecipe recipe = FastRecipe.derive(official, 1e-5, 512, 512L * 64 * 3);

        assertThat(recipe.negativeNum()).isEqualTo(30);
        assertThat(recipe.batchScale()).isEqualTo(2);               // ×2: 96 steps per epoch; ×4 would leave 48
        assertThat(recipe.learningRates()).containsExactly(2e-3, 2e-4, 2e-5, 1e-5);
    }
}
