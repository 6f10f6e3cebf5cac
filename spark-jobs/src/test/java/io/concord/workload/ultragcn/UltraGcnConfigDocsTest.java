package io.concord.workload.ultragcn;

import io.concord.config.ConfigException;
import io.concord.config.DeclaredParamsDocs;
import io.concord.config.DeclaredParamsDocs.Table;
import io.concord.core.ultragcn.UltraGcnPreset;
import io.concord.workload.recsys.GraphDataSection;
import io.concord.workload.recsys.RankingEvalSection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key tables of docs/ultragcn.md are generated from the declarations of the ultragcn config records and the
 * recommendation sections it shares with als ({@code PARAMS}), the records use the declared defaults, and every
 * declared range and choice is enforced with the full key. Regenerate the tables with
 * {@code mvn -B -o -pl spark-jobs -am test -Dtest=UltraGcnConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconcord.updateDocs=true}.
 */
class UltraGcnConfigDocsTest {

    private static final Map<String, Object> EDGES = Map.of("edges", "edges.csv");

    static String generated() {
        return DeclaredParamsDocs.generated(List.of(
                new Table("Top level (`ultragcn`)", UltraGcnConfig.PARAMS,
                        "Also `lrSchedule: {milestones: [..], factor: ..}` (below; `recipe: fast` derives its own "
                                + "phases and needs a numeric `optimizer.lr`)."),
                new Table("`ultragcn:` (defaults: the official Gowalla values)", ObjectiveSection.PARAMS),
                new Table("`lrSchedule:`", UltraGcnConfig.LrSchedule.PARAMS,
                        "`milestones`: strictly increasing epochs >= 1 (default none: a constant rate)."),
                new Table("`eval:` (ultragcn, als)", RankingEvalSection.PARAMS),
                new Table("`data:` (ultragcn, als)", GraphDataSection.PARAMS,
                        "Also exactly one source: `train` + `test`, `edges`, `generate`, or a Spark SQL source "
                                + "(`format` + `path` / `table`, docs/data.md); `maxRecordBytes`, `onBadRecord`."),
                new Table("`data.generate:` (ultragcn, als)", GraphDataSection.Generate.PARAMS)));
    }

    @Test
    void docsTablesAreTheDeclarations() throws IOException {
        DeclaredParamsDocs.assertBlock(Path.of("../docs/ultragcn.md"), "ultragcn-config-keys",
                "UltraGcnConfigDocsTest", generated());
    }

    @Test
    void theRecordsUseTheDeclaredDefaults() {
        int n = DeclaredParamsDocs.assertDefaults(UltraGcnConfig.PARAMS, UltraGcnConfig.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(ObjectiveSection.PARAMS, ObjectiveSection.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(UltraGcnConfig.LrSchedule.PARAMS, UltraGcnConfig.LrSchedule.class,
                Map.of())
                + DeclaredParamsDocs.assertDefaults(RankingEvalSection.PARAMS, RankingEvalSection.class, Map.of())
                + DeclaredParamsDocs.assertDefaults(GraphDataSection.PARAMS, GraphDataSection.class, EDGES)
                + DeclaredParamsDocs.assertDefaults(GraphDataSection.Generate.PARAMS, GraphDataSection.Generate.class,
                Map.of());
        assertThat(n).isEqualTo(3 + 13 + 1 + 6 + 1 + 8);
        assertThat(ObjectiveSection.defaults().objective()).isEqualTo(UltraGcnPreset.GOWALLA.objective());
        assertThat(GraphDataSection.defaults().generate().spec())
                .isEqualTo(io.concord.data.graph.SyntheticGraphSpec.demo());
        assertThat(RankingEvalSection.defaults().metric()).isEqualTo("recall@20");
        assertThat(new RankingEvalSection(null, null, 10, null, null, null, null).metric()).isEqualTo("recall@10");
        assertThat(GraphDataSection.defaults().testFraction()).as("generated graph: its own split").isNull();
    }

    @Test
    void everyDeclaredRangeIsEnforcedWithTheFullKey() {
        int checked = DeclaredParamsDocs.assertRangesEnforced("", UltraGcnConfig.PARAMS, UltraGcnConfig.class,
                Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("ultragcn", ObjectiveSection.PARAMS, ObjectiveSection.class,
                Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("lrSchedule", UltraGcnConfig.LrSchedule.PARAMS,
                UltraGcnConfig.LrSchedule.class, Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("eval", RankingEvalSection.PARAMS, RankingEvalSection.class,
                Map.of(), x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data", GraphDataSection.PARAMS, GraphDataSection.class,
                EDGES, x -> x)
                + DeclaredParamsDocs.assertRangesEnforced("data.generate", GraphDataSection.Generate.PARAMS,
                GraphDataSection.Generate.class, Map.of(), x -> x);
        assertThat(checked).isEqualTo(4 + 12 + 1 + 5 + 1 + 8);
    }

    @Test
    void crossFieldRulesNameTheFullKey() {
        assertThatThrownBy(() -> new RankingEvalSection(null, null, 10, "recall@20", null, null, null))
                .hasMessage("eval.metric: 'recall@20' is not allowed; must be one of recall@10, ndcg@10, "
                        + "precision@10, f1@10");
        assertThatThrownBy(() -> new GraphDataSection.Generate(null, 100, 101, null, null, null, null, null))
                .hasMessage("data.generate.clusters: 101 is not allowed; must be an integer in [1, "
                        + "data.generate.items=100]");
        assertThatThrownBy(() -> new GraphDataSection.Generate(null, 100, 10, 51.0, null, null, null, null))
                .hasMessage("data.generate.meanDegree: 51.0 is not allowed; must be a number in [1, "
                        + "data.generate.items / 2 = 50.0]");
        assertThatThrownBy(() -> new GraphDataSection(null, null, null, 0.3, null, null, null, null, null, null, null,
                null, null))
                .hasMessage("data.testFraction: applies to data.edges and single Spark SQL sources only");
        assertThatThrownBy(() -> new UltraGcnConfig.LrSchedule(List.of(2), 0.0))
                .isInstanceOf(ConfigException.class)
                .hasMessage("lrSchedule.factor: 0.0 is not allowed; must be in (0.0, 1.0]");
        assertThatThrownBy(() -> new UltraGcnConfig(null, null, null, null, null, null, null, null, null,
                new UltraGcnConfig.LrSchedule(List.of(2), null), null, "fast"))
                .hasMessage("recipe: fast derives its own learning-rate phases; remove lrSchedule");
        assertThat(new UltraGcnConfig(null, null, null, null, null, null, null, null, null, null, null, " Fast")
                .recipe()).isEqualTo(UltraGcnConfig.FAST);
    }
}
