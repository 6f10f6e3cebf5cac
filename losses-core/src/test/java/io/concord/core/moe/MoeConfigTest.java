package io.concord.core.moe;

import io.concord.core.model.SimpleStepContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoeConfigTest {

    @Test
    void badSettingsNameTheirConfigKey() {
        assertThatThrownBy(() -> MoeConfig.classification(4, 2).experts(4, 5).build())
                .hasMessageContaining("moe.topK");
        assertThatThrownBy(() -> MoeConfig.classification(0, 2).build()).hasMessageContaining("moe.inputDim");
        assertThatThrownBy(() -> MoeConfig.classification(4, 2).lblCoeff(-1).build())
                .hasMessageContaining("moe.lbl.coeff");
        assertThatThrownBy(() -> MoeConfig.classification(4, 2).zLossCoeff(Double.NaN).build())
                .hasMessageContaining("moe.zloss.coeff");
        assertThatThrownBy(() -> MoeConfig.nextToken(1).build()).hasMessageContaining("moe.vocabSize");
        assertThatThrownBy(() -> MoeConfig.classification(4, 2).layers(0).build()).hasMessageContaining("moe.layers");
    }

    @Test
    void balanceModesParseFromConfigStrings() {
        assertThat(BalanceMode.parse("micro", null)).isEqualTo(BalanceMode.MICRO);
        assertThat(BalanceMode.parse("global", null)).isEqualTo(BalanceMode.GLOBAL_TWO_PASS);
        assertThat(BalanceMode.parse("Global", "two_pass")).isEqualTo(BalanceMode.GLOBAL_TWO_PASS);
        assertThat(BalanceMode.parse("global", "stale-by-one-round")).isEqualTo(BalanceMode.GLOBAL_STALE);
        assertThat(BalanceMode.parse("global", "running-buffer")).isEqualTo(BalanceMode.RUNNING_BUFFER);
        assertThatThrownBy(() -> BalanceMode.parse("local", null)).hasMessageContaining("moe.balance");
        assertThatThrownBy(() -> BalanceMode.parse("global", "fresh"))
                .hasMessageContaining("moe.balance.freshness");
        assertThatThrownBy(() -> BalanceMode.parse("micro", "stale"))
                .hasMessageContaining("moe.balance.freshness");
        assertThat(MoeTask.parse("next-token")).isEqualTo(MoeTask.NEXT_TOKEN);
        assertThatThrownBy(() -> MoeTask.parse("regression")).hasMessageContaining("moe.task");
    }

    @Test
    void badExamplesAreRejectedWithTheReason() {
        MoeModel model = new MoeModel(MoeConfig.classification(3, 2).build());
        double[] params = new double[model.numParams()];
        assertThatThrownBy(() -> model.accumulateGradient(params,
                List.of(MoeExample.features(new float[4], 0, 0)), new double[params.length],
                SimpleStepContext.of(1, 0))).hasMessageContaining("moe.inputDim");
        assertThatThrownBy(() -> model.accumulateGradient(params,
                List.of(MoeExample.features(new float[3], 2, 0)), new double[params.length],
                SimpleStepContext.of(1, 0))).hasMessageContaining("moe.numClasses");
        MoeModel lm = new MoeModel(MoeConfig.nextToken(5).balance(BalanceMode.MICRO).build());
        assertThatThrownBy(() -> lm.accumulateGradient(new double[lm.numParams()],
                List.of(MoeExample.tokens(new int[] {1, 5}, 0)), new double[lm.numParams()],
                SimpleStepContext.of(1, 0))).hasMessageContaining("moe.vocabSize");
    }

    @Test
    void initialisationIsDeterministicAndTheModelSurvivesJavaSerialisation() throws Exception {
        MoeModel model = new MoeModel(MoeConfig.nextToken(7).layers(2).sharedExpertHidden(3).domains(2).build());
        float[] a = new float[model.numParams()];
        float[] b = new float[model.numParams()];
        model.initParams(a, 42);
        model.initParams(b, 42);
        assertThat(a).isEqualTo(b);
        float[] c = new float[model.numParams()];
        model.initParams(c, 43);
        assertThat(c).isNotEqualTo(a);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        MoeModel copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (MoeModel) in.readObject();
        }
        List<MoeExample> data = MoeFixtures.tokens(3, 5, 7, 2, 1);
        float[] g1 = new float[a.length];
        float[] g2 = new float[a.length];
        double l1 = model.accumulateGradient(a, data, g1, SimpleStepContext.of(1, 0)
                .withGlobal(model.countStatistic(), MoeFixtures.counts(model, MoeModel.toDouble(a), data)))
                .lossSum();
        double l2 = copy.accumulateGradient(a, data, g2, SimpleStepContext.of(1, 0)
                .withGlobal(copy.countStatistic(), MoeFixtures.counts(copy, MoeModel.toDouble(a), data)))
                .lossSum();
        assertThat(l2).isEqualTo(l1);
        assertThat(g2).isEqualTo(g1);
    }
}
