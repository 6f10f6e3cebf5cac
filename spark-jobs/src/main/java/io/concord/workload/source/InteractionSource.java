package io.concord.workload.source;

import io.concord.core.util.Seeds;
import io.concord.job.JobContext;
import io.concord.job.SkippedRecords;
import io.concord.workload.recsys.GraphDataSection;
import io.concord.workload.recsys.GraphLoader;

import java.util.List;

/**
 * The interaction graph of a recommendation job's {@code data} section: from Spark SQL sources
 * ({@link InteractionTables}, with id maps) or from text files / the generator ({@link GraphLoader}, whose ids are
 * already the dense indices: no id maps).
 */
public final class InteractionSource {

    /** The per-user split seed: the same as the edge-list text path's, so both split the same records alike. */
    private static final long SPLIT_STREAM = 0xED6E5L;

    private InteractionSource() {
    }

    public static InteractionTables.Loaded load(GraphDataSection data, long seed, JobContext ctx) {
        List<TableSource> sources = data.tableSources();
        if (sources.isEmpty()) {
            return new InteractionTables.Loaded(GraphLoader.load(data, seed, ctx.hadoopConf(),
                    SkippedRecords.of(ctx.jsc())), null, null);
        }
        double fraction = data.testFraction() == null ? 0 : data.testFraction();
        return InteractionTables.read(ctx.spark(), sources.get(0), sources.size() > 1 ? sources.get(1) : null,
                data.columns(), fraction, Seeds.mix(seed, SPLIT_STREAM));
    }
}
