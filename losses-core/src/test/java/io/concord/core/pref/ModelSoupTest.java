package io.concord.core.pref;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSoupTest {

    @Test
    void weightedAndUniformAverages() {
        float[] a = {1f, -2f, 4f};
        float[] b = {3f, 2f, 0f};
        assertThat(ModelSoup.average(a, b, 0.5)).containsExactly(2f, 0f, 2f);
        assertThat(ModelSoup.average(a, b, 0.25)).containsExactly(1.5f, -1f, 3f);
        assertThat(ModelSoup.average(a, b, 0.0)).containsExactly(a);
        assertThat(ModelSoup.average(a, b, 1.0)).containsExactly(b);
        assertThat(ModelSoup.uniform(a, b)).containsExactly(ModelSoup.average(a, b, 0.5));
        assertThat(ModelSoup.uniform(a, a, a)).containsExactly(a);
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThatThrownBy(() -> ModelSoup.average(new float[2], new float[3], 0.5)).hasMessageContaining("length");
        assertThatThrownBy(() -> ModelSoup.average(new float[2], new float[2], 1.5))
                .hasMessageStartingWith("soup.alpha: 1.5");
    }
}
