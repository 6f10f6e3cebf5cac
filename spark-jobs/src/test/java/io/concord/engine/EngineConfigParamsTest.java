package io.concord.engine;

import io.concord.config.ConfigLoader;
import io.concord.core.param.Param;
import io.concord.core.param.ParamException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code train:} section is read through its declarations ({@link EngineConfig#PARAMS}). */
class EngineConfigParamsTest {

    @Test
    void defaultsAreTheDeclaredOnes() {
        EngineConfig d = EngineConfig.defaults();
        Map<String, Object> actual = ConfigLoader.yamlMapper().convertValue(d, Map.class);
        for (Param p : EngineConfig.PARAMS.params()) {
            assertThat(actual.get(p.name())).as(p.name()).isEqualTo(p.defaultValue());
        }
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        int checked = 0;
        for (Param p : EngineConfig.PARAMS.params()) {
            if (p.valid() == null) {
                continue;
            }
            Object bad = p.type() == Param.Type.INT ? (Object) (-1) : (Object) (-1.0);
            assertThatThrownBy(() -> ConfigLoader.yamlMapper().convertValue(Map.of(p.name(), bad), EngineConfig.class))
                    .as(p.name())
                    .rootCause()
                    .isInstanceOf(ParamException.class)
                    .hasMessage("train." + p.name() + ": " + bad + " is not allowed; must be " + p.rule());
            checked++;
        }
        assertThat(checked).isEqualTo(9);
    }
}
