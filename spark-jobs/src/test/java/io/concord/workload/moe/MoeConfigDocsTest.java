package io.concord.workload.moe;

import io.concord.core.param.Param;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The defaults in docs/moe.md's key table are the declarations of {@link MoeJobConfig.ModelSection#PARAMS} and
 * {@link MoeJobConfig.MoeSection#PARAMS}, and the config records enforce every declared range with the full key.
 */
class MoeConfigDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    @Test
    void docsTableShowsTheDeclaredDefaults() throws IOException {
        Map<String, String> rows = new HashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("../docs/moe.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim().replace("`", ""));
        }
        int checked = check(rows, "model", MoeJobConfig.ModelSection.PARAMS)
                + check(rows, "moe", MoeJobConfig.MoeSection.PARAMS);
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        for (Param p : MoeJobConfig.ModelSection.PARAMS.params()) {
            Integer[] v = new Integer[6];
            v[MoeJobConfig.ModelSection.PARAMS.params().indexOf(p)] = -1;
            assertThatThrownBy(() -> new MoeJobConfig.ModelSection(v[0], v[1], v[2], v[3], v[4], v[5]))
                    .isInstanceOf(ParamException.class)
                    .hasMessage("model." + p.name() + ": -1 is not allowed; must be " + p.rule());
        }
        assertThatThrownBy(() -> new MoeJobConfig.MoeSection(null, null, -1.0, null))
                .hasMessage("moe.lblCoeff: -1.0 is not allowed; must be a finite number >= 0");
        assertThatThrownBy(() -> new MoeJobConfig.MoeSection("local", null, null, null))
                .hasMessage("moe.balance: 'local' is not allowed; must be one of micro, global");
        assertThat(new MoeJobConfig.MoeSection("GLOBAL", "Stale_By_One_Round", null, null).freshness())
                .isEqualTo("stale-by-one-round");
    }

    private static int check(Map<String, String> rows, String section, ParamTable table) {
        int n = 0;
        for (Param p : table.params()) {
            String key = section + "." + p.name();
            assertThat(rows).as("a docs/moe.md row for " + key).containsKey(key);
            String shown = rows.get(key);
            if (p.defaultValue() instanceof Number d) {
                assertThat(Double.parseDouble(shown)).as(key).isEqualTo(d.doubleValue());
            } else {
                assertThat(shown).as(key).isEqualTo(String.valueOf(p.defaultValue()));
            }
            n++;
        }
        return n;
    }
}
