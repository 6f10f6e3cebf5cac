package io.concord.workload.ultragcn;

import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;
import io.concord.job.JobRunner;
import io.concord.workload.als.AlsConfig;
import io.concord.workload.als.AlsJob;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every official preset file carries exactly the official hyperparameters of its dataset (losses-core's
 * {@link UltraGcnPreset}, reference §1.8); the fast and built-in configs load and validate.
 */
class UltraGcnPresetFilesTest {

    @ParameterizedTest
    @EnumSource(UltraGcnPreset.class)
    void officialPresetFileMatchesTheOfficialConfig(UltraGcnPreset official) {
        UltraGcnConfig c = JobRunner.loadConfig(new UltraGcnJob(), "preset:" + official.datasetName(), List.of(),
                new Configuration());
        assertThat(c.ultragcn().objective()).isEqualTo(official.objective());
        assertThat(c.optimizer().name()).isEqualTo("adam");
        assertThat(((Number) c.optimizer().params().get("lr")).doubleValue()).isEqualTo(official.learningRate());
        assertThat(c.optimizer().params()).containsOnlyKeys("lr");
        assertThat(c.train().partitions() * c.train().batchSize()).as("global batch").isEqualTo(official.batchSize());
        assertThat(c.epochs()).isEqualTo(official.maxEpoch());
        assertThat(c.eval().official()).isTrue();
        assertThat(c.eval().k()).isEqualTo(UltraGcnPreset.TOP_K);
        assertThat(c.eval().metric()).isEqualTo("recall@20");
        assertThat(c.eval().patience()).isEqualTo(official.earlyStopEvaluations());
        assertThat(c.eval().averagingMode().name()).isEqualTo("ALL_USERS");
        assertThat(c.lrSchedule()).isNull();
        assertThat(c.data().train()).endsWith("datasets/" + official.datasetName() + "/train.txt");
        assertThat(c.data().test()).endsWith("datasets/" + official.datasetName() + "/test.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gowalla-fast"})
    void fastPresetKeepsTheOfficialObjectiveExceptNegativeCountAndBatchScaledL2(String name) {
        UltraGcnConfig c = JobRunner.loadConfig(new UltraGcnJob(), "preset:" + name, List.of(), new Configuration());
        UltraGcnPreset preset = UltraGcnPreset.GOWALLA;
        UltraGcnObjective official = preset.objective();
        int batch = c.train().partitions() * c.train().batchSize();
        assertThat(batch % preset.batchSize()).isZero();
        double batchScaledGamma = official.gamma() * (batch / preset.batchSize()); // a power of two: exact
        assertThat(c.ultragcn().objective()).isEqualTo(
                official.withNegativeNum(c.ultragcn().negativeNum()).withGamma(batchScaledGamma));
        assertThat(c.ultragcn().negativeWeight()).isEqualTo(official.negativeWeight());
        assertThat(c.lrSchedule().milestones()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"builtin", "preset:gowalla"})
    void alsConfigsLoad(String which) {
        AlsConfig c = JobRunner.loadConfig(new AlsJob(), which.equals("builtin") ? null : which, List.of(),
                new Configuration());
        assertThat(c.als().size()).isGreaterThan(1);
        assertThat(c.eval().k()).isEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"builtin"})
    void builtInUltraGcnConfigGeneratesItsData(String ignored) {
        UltraGcnConfig c = JobRunner.loadConfig(new UltraGcnJob(), null, List.of(), new Configuration());
        assertThat(c.data().generate()).isNotNull();
        assertThat(c.data().train()).isNull();
    }
}
