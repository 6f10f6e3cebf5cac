package io.concord.workload.moe;

import io.concord.config.DeclaredParamsDocs;
import io.concord.config.DeclaredParamsDocs.Table;
import io.concord.config.RecordReading;
import io.concord.core.param.Param;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The defaults in docs/moe.md's key table are the declarations of {@link MoeJobConfig.ModelSection#PARAMS} and
 * {@link MoeJobConfig.MoeSection#PARAMS}, and the config records enforce every declared range with the full key.
 * The top-level, {@code data:} and {@code data.generate:} tables are generated from {@link MoeJobConfig#PARAMS},
 * {@link MoeJobConfig.Data#PARAMS} with {@link RecordReading#PARAMS}, and {@link MoeJobConfig.Generate}'s tables;
 * regenerate them with {@code mvn -B -o -pl spark-jobs -am test -Dtest=MoeConfigDocsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconcord.updateDocs=true}.
 */
class MoeConfigDocsTest {

    private static final ParamTable DATA = new ParamTable(Stream.concat(
            MoeJobConfig.Data.PARAMS.params().stream(), RecordReading.PARAMS.params().stream()).toList());
    private static final Map<String, Object> FEATURES = Map.of("kind", "features");

    static String generated() {
        return DeclaredParamsDocs.generated(List.of(
                new Table("Top level", MoeJobConfig.PARAMS),
                new Table("`data:`", DATA, "Also `paths`: JSONL files or directories on any Hadoop FS (instead of "
                        + "`data.generate`), records `{\"features\": […], \"label\": n}`, `{\"text\": \"…\"}` "
                        + "(bytes, vocabulary 256) or `{\"tokens\": […]}`, each with an optional `\"domain\"`; "
                        + "`testPaths`: held-out JSONL (default: a seeded `testFraction` of `paths`); and the Spark "
                        + "SQL keys `format`, `table`, `testTable`, `where`, `columns`, `options` (docs/data.md)."),
                new Table("`data.generate:`", MoeJobConfig.Generate.PARAMS),
                new Table("`data.generate:` with `kind: tokens`", MoeJobConfig.Generate.TOKENS),
                new Table("`data.generate:` with `kind: features`", MoeJobConfig.Generate.FEATURES,
                        "Setting a key of the other kind is an error.")));
    }

    @Test
    void dataTablesAreTheDeclarations() throws IOException {
        DeclaredParamsDocs.assertBlock(Path.of("../docs/moe.md"), "moe-data-keys", "MoeConfigDocsTest", generated());
    }

    @Test
    void theDataRecordsUseTheDeclaredDefaults() {
        int n = DeclaredParamsDocs.assertDefaults(MoeJobConfig.PARAMS, MoeJobConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(DATA, MoeJobConfig.Data.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(MoeJobConfig.Generate.PARAMS, MoeJobConfig.Generate.class,
                Map.of())
                + DeclaredParamsDocs.assertDefaults(MoeJobConfig.Generate.TOKENS, MoeJobConfig.Generate.class,
                Map.of())
                + DeclaredParamsDocs.assertDefaults(MoeJobConfig.Generate.FEATURES, MoeJobConfig.Generate.class,
                FEATURES);
        assertThat(n).isEqualTo(1 + 4 + 5 + 4 + 3);
        MoeJobConfig.Generate tokens = MoeJobConfig.Generate.defaults();
        assertThat(tokens.vocabSize()).as("sharedTokens + 24 × domains").isEqualTo(8 + 24 * 8);
        assertThat(tokens.dim()).as("a features key of kind tokens").isNull();
        assertThat(DeclaredParamsDocs.bind(MoeJobConfig.class).data().generate()).isEqualTo(tokens);
        assertThat(DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.kind=FEATURES").data().generate()
                .sharedTokens()).isNull();
    }

    @Test
    void everyDeclaredDataRangeIsEnforcedWithTheFullKey() {
        ParamTable maxRecordBytes = new ParamTable(List.of(RecordReading.PARAMS.param("maxRecordBytes")));
        int checked = DeclaredParamsDocs.assertRangesEnforced("data", MoeJobConfig.Data.PARAMS,
                MoeJobConfig.Data.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data", maxRecordBytes, MoeJobConfig.Data.class, Map.of(),
                x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data.generate", MoeJobConfig.Generate.PARAMS,
                MoeJobConfig.Generate.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data.generate", MoeJobConfig.Generate.TOKENS,
                MoeJobConfig.Generate.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data.generate", MoeJobConfig.Generate.FEATURES,
                MoeJobConfig.Generate.class, FEATURES, x -> x);
        assertThat(checked).as("vocabSize's rule involves other keys (below)").isEqualTo(2 + 1 + 5 + 4 + 3);
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.vocabSize=1"))
                .hasMessage("data.vocabSize: 1 is not allowed; must be 0 (infer) or an integer >= 2");
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.onBadRecord=nope"))
                .hasMessageStartingWith("data.onBadRecord: 'nope' is not allowed");
    }

    @Test
    void kindAndCrossKeyRulesNameTheKey() {
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.dim=4"))
                .isInstanceOf(ParamException.class)
                .hasMessage("data.generate.dim: applies only to data.generate.kind: features");
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.kind=features",
                "data.generate.seqLength=4"))
                .hasMessage("data.generate.seqLength: applies only to data.generate.kind: tokens");
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.vocabSize=20"))
                .hasMessage("data.generate.vocabSize: 20 is not allowed; must be at least data.generate.sharedTokens"
                        + " + data.generate.domains × data.generate.successors = 32");
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.sharedTokens=0"))
                .hasMessage("data.generate.sharedRate: 0.15 is not allowed; must be 0 when "
                        + "data.generate.sharedTokens is 0");
        assertThat(DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate.sharedTokens=0",
                "data.generate.sharedRate=0").data().generate().vocabSize()).isEqualTo(24 * 8);
        assertThatThrownBy(() -> DeclaredParamsDocs.bind(MoeJobConfig.class, "data.generate=null",
                "data.paths=[a]", "data.testFraction=1"))
                .hasMessage("data.testFraction: 1.0 is not allowed; must be in (0.0, 1.0)");
    }

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
