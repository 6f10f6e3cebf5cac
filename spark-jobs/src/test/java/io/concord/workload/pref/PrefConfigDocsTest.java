package io.concord.workload.pref;

import io.concord.config.DeclaredParamsDocs;
import io.concord.config.DeclaredParamsDocs.Table;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key tables of docs/preference.md are generated from the declarations of the preference jobs' config records
 * ({@code PARAMS}), the records use the declared defaults, and every declared range and choice is enforced with the
 * full key. Regenerate the tables with
 * {@code mvn -B -o -pl spark-jobs -am test -Dtest=PrefConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconcord.updateDocs=true}.
 */
class PrefConfigDocsTest {

    private static final Map<String, Object> ALIGN_DATA = Map.of("pairs", "pairs.jsonl");
    private static final Map<String, Object> SOUP = Map.of("soup", List.of("runs/a", "runs/b"));

    static String generated() {
        return DeclaredParamsDocs.generated(List.of(
                new Table("`arithmetic:` (pref-sft, pref-sample, pref-align)", ArithmeticSection.PARAMS,
                        "`operations`: a non-empty list of " + String.join(", ", ArithmeticSection.OPERATIONS)
                                + " (default `[add]`)."),
                new Table("`data:` of pref-sft", PrefSftConfig.Data.PARAMS,
                        "Also `path` (TOFU folder or pairs file/folder), `splits` (tofu; default forget10 + retain90), "
                                + "`vocabulary`, `maxRecordBytes`, `onBadRecord` (fail) and the Spark SQL keys of "
                                + "pairs and of the TOFU splits (docs/data.md)."),
                new Table("`data:` of pref-align", PrefAlignConfig.Data.PARAMS,
                        "Also `pairs` or `ranked`, `maxRecordBytes`, `onBadRecord` and the Spark SQL keys of pairs."),
                new Table("`data:` of pref-unlearn", PrefUnlearnConfig.Data.PARAMS,
                        "Also `path` (default `../shared/datasets/tofu`), `retain` (default the complement of "
                                + "`forget`: retain99, retain95, retain90), `maxRecordBytes`, `onBadRecord` (fail) "
                                + "and the Spark SQL keys "
                                + "of the TOFU splits (`format`, `path` or `table` with `{split}`, `where`, `columns`, "
                                + "`options`; docs/data.md)."),
                new Table("`sample:` (pref-sample)", PrefSampleConfig.Sample.PARAMS),
                new Table("`entanglement:` (pref-align, pref-unlearn)", EntanglementSection.PARAMS),
                new Table("`init:`, `reference:`", ParamsSource.PARAMS,
                        "Also exactly one of `run`, `params`, `soup`.")));
    }

    @Test
    void docsTablesAreTheDeclarations() throws IOException {
        DeclaredParamsDocs.assertBlock(Path.of("../docs/preference.md"), "pref-config-keys", "PrefConfigDocsTest",
                generated());
    }

    @Test
    void theRecordsUseTheDeclaredDefaults() {
        int n = DeclaredParamsDocs.assertDefaults(ArithmeticSection.PARAMS, ArithmeticSection.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(PrefSftConfig.Data.PARAMS, PrefSftConfig.Data.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(PrefAlignConfig.Data.PARAMS, PrefAlignConfig.Data.class,
                ALIGN_DATA)
                + DeclaredParamsDocs.assertDefaults(PrefUnlearnConfig.Data.PARAMS, PrefUnlearnConfig.Data.class,
                Map.of())
                + DeclaredParamsDocs.assertDefaults(PrefSampleConfig.Sample.PARAMS, PrefSampleConfig.Sample.class,
                Map.of())
                + DeclaredParamsDocs.assertDefaults(EntanglementSection.PARAMS, EntanglementSection.class, Map.of());
        assertThat(n).isEqualTo(7 + 7 + 3 + 7 + 6 + 2);
        assertThat(new ParamsSource(null, null, List.of("a", "b"), null).alpha("init")).isEqualTo(0.5);
        assertThat(new PrefUnlearnConfig.Data(null, "forget05", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null).retain())
                .isEqualTo("retain95");
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        int checked = DeclaredParamsDocs.assertRangesEnforced("arithmetic", ArithmeticSection.PARAMS,
                ArithmeticSection.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data", PrefSftConfig.Data.PARAMS, PrefSftConfig.Data.class,
                Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data", PrefAlignConfig.Data.PARAMS,
                PrefAlignConfig.Data.class, ALIGN_DATA, x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data", PrefUnlearnConfig.Data.PARAMS,
                PrefUnlearnConfig.Data.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("sample", PrefSampleConfig.Sample.PARAMS,
                PrefSampleConfig.Sample.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("entanglement", EntanglementSection.PARAMS,
                EntanglementSection.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("init", ParamsSource.PARAMS, ParamsSource.class, SOUP,
                s -> s.validated("init"));
        assertThat(checked).isEqualTo(6 + 6 + 3 + 5 + 5 + 2 + 1);
    }

    @Test
    void crossFieldRulesNameTheFullKey() {
        assertThatThrownBy(() -> new ArithmeticSection(null, null, 3, 2, null, null, null, null))
                .hasMessage("arithmetic.maxDigits: 2 is not allowed; must be an integer in [arithmetic.minDigits=3, "
                        + "17]");
        assertThatThrownBy(() -> new ArithmeticSection(null, null, null, null, List.of("add", "divide"), null, null,
                null))
                .hasMessage("arithmetic.operations: 'divide' is not allowed; must be one of add, subtract, multiply");
        assertThatThrownBy(() -> new ParamsSource("runs/a", null, null, 0.3).validated("reference"))
                .hasMessage("reference.alpha: only applies to a soup of exactly two members");
    }
}
