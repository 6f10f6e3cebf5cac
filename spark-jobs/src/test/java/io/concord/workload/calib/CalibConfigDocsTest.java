package io.concord.workload.calib;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.config.ConfigLoader;
import io.concord.config.DeclaredParamsDocs;
import io.concord.core.param.Param;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
import io.concord.data.calib.StereoRigConfig;
import io.concord.job.EvalSection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key tables of docs/calibration.md are generated from the declarations the calib config is read through
 * ({@link CalibJobConfig}'s sections, {@link StereoRigConfig#PARAMS}, {@code CalibNetConfig.PARAMS},
 * {@code UgclLossConfig.PARAMS}, {@link EvalSection#PARAMS}); the declared defaults are what an empty config gets;
 * every declared range is enforced with the full key. Regenerate the tables with
 * {@code mvn -pl spark-jobs -am test -Dtest=CalibConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconcord.updateDocs=true}.
 */
class CalibConfigDocsTest {

    /** The declared sections of the calib config, by key path. */
    static Map<String, ParamTable> sections() {
        Map<String, ParamTable> s = new LinkedHashMap<>();
        s.put("data", CalibJobConfig.Data.PARAMS);
        List<Param> generate = new ArrayList<>(CalibJobConfig.Generate.PARAMS.params());
        generate.addAll(StereoRigConfig.PARAMS.params());
        s.put("data.generate", new ParamTable(generate));
        s.put("model", CalibJobConfig.ModelSection.PARAMS);
        s.put("loss", CalibJobConfig.LossSection.PARAMS);
        s.put("loss.supervisedWeights", CalibJobConfig.LossSection.WEIGHTS);
        s.put("lrDecay", CalibJobConfig.LrDecay.PARAMS);
        s.put("eval", EvalSection.PARAMS);
        return s;
    }

    static String generated() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, ParamTable> e : sections().entrySet()) {
            b.append("\n#### `").append(e.getKey()).append("`\n\n").append(e.getValue().markdown());
        }
        return b.append('\n').toString();
    }

    @Test
    void docsTablesAreTheDeclarations() throws IOException {
        DeclaredParamsDocs.assertBlock(Path.of("../docs/calibration.md"), "calib-config", "CalibConfigDocsTest",
                generated());
    }

    /**
     * An empty config gets every declared default (data.testFraction: with existing data; lrDecay: when the section
     * is present).
     */
    @Test
    void theDeclaredDefaultsAreWhatAnEmptyConfigGets() {
        JsonNode effective = ConfigLoader.toTree(bind());
        JsonNode given = ConfigLoader.toTree(bind("data.generate=null", "data.path=/pairs", "lrDecay={}"));
        int checked = 0;
        for (Map.Entry<String, ParamTable> e : sections().entrySet()) {
            JsonNode section = (List.of("data", "lrDecay").contains(e.getKey()) ? given : effective).at("/" + e.getKey().replace('.', '/'));
            assertThat(section.isObject()).as(e.getKey()).isTrue();
            for (Param p : e.getValue().params()) {
                String key = e.getKey() + "." + p.name();
                JsonNode v = section.get(p.name());
                if (p.defaultValue() instanceof Number d) {
                    assertThat(v.asDouble()).as(key).isEqualTo(d.doubleValue());
                } else if (p.defaultValue() != null) {
                    assertThat(v.asText()).as(key).isEqualTo(String.valueOf(p.defaultValue()));
                } else {
                    switch (key) {
                        case "data.generate.height" -> assertThat(v.asInt()).as(key)
                                .isEqualTo(section.get("width").asInt());
                        case "model.convChannels" -> assertThat(v.toString().replace(",", ", ")).as(key)
                                .isEqualTo(p.defaultDoc());
                        case "loss.supervisedWeights" -> assertThat(v.size()).as(key).isEqualTo(10);
                        case "eval.mode" -> assertThat(v.asText()).as("calib's own default").isEqualTo("min");
                        default -> throw new AssertionError("no default check for " + key);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1 + 23 + 4 + 8 + 10 + 2 + 3);
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        int checked = 0;
        for (Map.Entry<String, ParamTable> e : sections().entrySet()) {
            for (Param p : e.getValue().params()) {
                String key = e.getKey() + "." + p.name();
                List<String> set = new ArrayList<>();
                if (key.equals("data.testFraction")) {
                    set.add("data.generate=null");
                    set.add("data.path=/pairs");
                }
                String bad;
                String shown;
                String reported = key;
                if (p.type() == Param.Type.CHOICE) {
                    bad = "bogus";
                    shown = "'bogus'";
                } else if (p.type() == Param.Type.INT && key.equals("model.convChannels")) {
                    bad = "[8, -1]";
                    shown = "-1";
                    reported = key + "[1]";
                } else if (p.type() == Param.Type.INT) {
                    bad = "-1";
                    shown = "-1";
                } else if (p.type() == Param.Type.REAL) {
                    bad = "-1000.0";
                    shown = "-1000.0";
                } else {
                    continue; // loss.supervisedWeights: its entries are the loss.supervisedWeights section
                }
                set.add(key + "=" + bad);
                String expected = reported + ": " + shown + " is not allowed; must be " + p.rule();
                assertThatThrownBy(() -> bind(set.toArray(new String[0])))
                        .as(key)
                        .isInstanceOf(ParamException.class)
                        .hasMessage(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1 + 23 + 4 + 7 + 10 + 2 + 3);
    }

    @Test
    void crossKeyRulesNameTheKeyInTheSameFormat() {
        assertThatThrownBy(() -> bind("data.generate.fovMin=120.0"))
                .isInstanceOf(ParamException.class)
                .hasMessage("data.generate.fovMin: 120.0 is not allowed; must be <= data.generate.fovMax (110.0)");
        assertThatThrownBy(() -> bind("data.generate.cameraHeightMax=1.0"))
                .hasMessage("data.generate.cameraHeightMin: 1.2 is not allowed; must be <= "
                        + "data.generate.cameraHeightMax (1.0)");
        assertThatThrownBy(() -> bind("model.convChannels=[8, null]"))
                .hasMessage("model.convChannels: [8, null] is not allowed; must be a list of integers > 0");
        assertThat(bind("model.fusion=TWO_TOWERS", "model.dataType=Double").model())
                .isEqualTo(new CalibJobConfig.ModelSection("two_towers", null, null, "double"));
    }

    private static CalibJobConfig bind(String... overrides) {
        return DeclaredParamsDocs.bind(CalibJobConfig.class, overrides);
    }
}
