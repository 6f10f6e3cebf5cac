package io.concord.config;

import io.concord.core.param.ParamException;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;
import io.concord.engine.Transport;
import io.concord.workload.als.AlsConfig;
import io.concord.workload.calib.CalibJobConfig;
import io.concord.workload.logreg.LogRegConfig;
import io.concord.workload.pref.ModelSection;
import io.concord.workload.pref.PrefAlignConfig;
import io.concord.workload.pref.PrefSftConfig;
import io.concord.workload.pref.PrefUnlearnConfig;
import io.concord.workload.pref.PrefSampleConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The declarations that no docs table shows (run seeds, {@code spark.master}, the record-reading keys, the
 * preference jobs' model size, the engine's enum keys) are what an empty config gets, and their ranges are enforced
 * with the full key.
 */
class DeclaredDefaultsTest {

    @Test
    void emptyConfigsGetTheDeclaredSeedsAndMaster() {
        int n = DeclaredParamsDocs.assertDefaults(LogRegConfig.PARAMS, LogRegConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(AlsConfig.PARAMS, AlsConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(CalibJobConfig.PARAMS, CalibJobConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(PrefSampleConfig.PARAMS, PrefSampleConfig.class,
                Map.of("init", Map.of("run", "runs/sft")))
                + DeclaredParamsDocs.assertDefaults(PrefAlignConfig.PARAMS, PrefAlignConfig.class,
                Map.of("data", Map.of("pairs", "pairs.jsonl")))
                + DeclaredParamsDocs.assertDefaults(PrefSftConfig.PARAMS, PrefSftConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(PrefUnlearnConfig.PARAMS, PrefUnlearnConfig.class,
                Map.of("init", Map.of("run", "runs/sft")))
                + DeclaredParamsDocs.assertDefaults(SparkSection.PARAMS, SparkSection.class, Map.of());
        assertThat(n).isEqualTo(8);
        assertThat(DeclaredParamsDocs.bind(AlsConfig.class).seed()).isEqualTo(2021L);
        assertThat(DeclaredParamsDocs.bind(LogRegConfig.class, "seed=7").seed()).isEqualTo(7L);
    }

    @Test
    void recordReadingKeysAreDeclared() {
        assertThat(RecordReading.options(null, null)).isEqualTo(new ReadOptions(16L << 20, OnBadRecord.FAIL));
        assertThat(RecordReading.PARAMS.param("onBadRecord").choices())
                .containsExactlyElementsOf(Arrays.stream(OnBadRecord.values()).map(OnBadRecord::configName).toList());
        assertThatThrownBy(() -> RecordReading.maxRecordBytes(0L))
                .isInstanceOf(ParamException.class)
                .hasMessage("data.maxRecordBytes: 0 is not allowed; must be an integer in [1, 2147483631]");
    }

    @Test
    void engineEnumKeysDefaultToTheirDeclarations() {
        EngineConfig d = EngineConfig.defaults();
        assertThat(d.sync()).isEqualTo(SyncMode.GLOBAL_BATCH);
        assertThat(d.transport()).isEqualTo(Transport.DRIVER);
        assertThat(EngineConfig.PARAMS.param("transport").choices()).containsExactly("driver", "allreduce",
                "allreduce-rpc");
        assertThat(DeclaredParamsDocs.bind(LogRegConfig.class, "train.sync=parameter-averaging").train().sync())
                .isEqualTo(SyncMode.PARAMETER_AVERAGING);
    }

    @Test
    void preferenceModelSizeDefaultsAreDeclared() {
        assertThat(ModelSection.defaults().resolve(null)).isEqualTo(new ModelSection(
                (Integer) ModelSection.PARAMS.param("hidden").defaultValue(),
                (Integer) ModelSection.PARAMS.param("layers").defaultValue()));
        assertThat(ModelSection.defaults().resolve(null)).isEqualTo(new ModelSection(64, 1));
        assertThat(ModelSection.defaults().hidden()).as("unset until resolved").isNull();
        assertThatThrownBy(() -> new ModelSection(0, null))
                .hasMessage("model.hidden: 0 is not allowed; must be an integer in [1, 4096]");
    }
}
