package io.concord.workload.moe;

import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.RoutingTally;
import io.concord.job.PartitionOrderedSum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Held-out evaluation on executors: the parameters are broadcast, every partition of the held-out set runs the
 * forward pass into its own {@link RoutingTally}, and the driver merges the tallies in partition order (so the
 * double sums, and the metrics, are reproducible).
 */
final class MoeEvaluator {

    private final JavaSparkContext sc;
    private final MoeModel model;
    private final JavaRDD<MoeExample> heldOut;

    MoeEvaluator(JavaSparkContext sc, MoeModel model, JavaRDD<MoeExample> heldOut) {
        this.sc = sc;
        this.model = model;
        this.heldOut = heldOut;
    }

    RoutingTally tally(float[] params) {
        MoeModel m = model;
        return PartitionOrderedSum.fold(sc, heldOut, params, (p, it) -> {
            List<MoeExample> batch = new ArrayList<>();
            it.forEachRemaining(batch::add);
            return m.evaluate(p, batch);
        }, RoutingTally::merge);
    }
}
