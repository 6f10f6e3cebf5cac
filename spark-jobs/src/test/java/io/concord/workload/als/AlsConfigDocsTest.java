package io.concord.workload.als;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.config.ConfigLoader;
import io.concord.config.DeclaredParamsDocs;
import io.concord.core.param.Param;
import io.concord.core.param.ParamException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code als:} table of docs/ultragcn.md is generated from {@link AlsConfig.Grid#PARAMS}; the declared defaults
 * are what an empty config gets; every declared range is enforced with the full key (a grid entry with its index).
 * Regenerate the table with {@code mvn -pl spark-jobs -am test -Dtest=AlsConfigDocsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconcord.updateDocs=true}.
 */
class AlsConfigDocsTest {

    static String generated() {
        return "\n#### `als`\n\n" + AlsConfig.Grid.PARAMS.markdown() + "\n";
    }

    @Test
    void docsTableIsTheDeclarations() throws IOException {
        DeclaredParamsDocs.assertBlock(Path.of("../docs/ultragcn.md"), "als-config", "AlsConfigDocsTest",
                generated());
    }

    @Test
    void theDeclaredDefaultsAreWhatAnEmptyConfigGets() {
        JsonNode als = ConfigLoader.toTree(bind()).get("als");
        for (Param p : AlsConfig.Grid.PARAMS.params()) {
            JsonNode v = als.get(p.name());
            if (v.isArray()) {
                List<String> shown = new ArrayList<>();
                v.forEach(e -> shown.add(e.isInt() ? e.asText() : String.valueOf(e.asDouble())));
                assertThat(String.join(", ", shown)).as(p.name()).isEqualTo(p.defaultDoc());
            } else {
                assertThat(v.asDouble()).as(p.name()).isEqualTo(((Number) p.defaultValue()).doubleValue());
            }
        }
        assertThat(bind().als().size()).isEqualTo(8);
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        int checked = 0;
        for (Param p : AlsConfig.Grid.PARAMS.params()) {
            boolean grid = p.defaultValue() == null;
            boolean integer = p.type() == Param.Type.INT;
            String bad = integer ? "-1" : "-1.0";
            String value = grid ? (integer ? "[8, -1]" : "[0.5, -1.0]") : bad;
            String key = "als." + p.name() + (grid ? "[1]" : "");
            assertThatThrownBy(() -> bind("als." + p.name() + "=" + value))
                    .as(p.name())
                    .isInstanceOf(ParamException.class)
                    .hasMessage(key + ": " + bad + " is not allowed; must be " + p.rule());
            checked++;
        }
        assertThat(checked).isEqualTo(5);
        assertThatThrownBy(() -> bind("als.alpha=-1"))
                .hasMessage("als.alpha[0]: -1.0 is not allowed; must be a finite number >= 0");
        assertThat(bind("als.rank=8", "als.alpha=[1, 5]").als().size()).isEqualTo(4);
    }

    private static AlsConfig bind(String... overrides) {
        return DeclaredParamsDocs.bind(AlsConfig.class, overrides);
    }
}
