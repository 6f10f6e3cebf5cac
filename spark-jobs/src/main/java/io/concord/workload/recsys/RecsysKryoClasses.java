package io.concord.workload.recsys;

import io.concord.core.metric.RankingAccumulator;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.DegreeWeights;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NeighbourRows;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/** UltraGCN and ALS: positives, the broadcast model and its tables, neighbour blocks, ranking sums, MLlib ALS blocks. */
public final class RecsysKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(
                Interaction.class.getName(),
                UltraGcnModel.class.getName(),
                DegreeWeights.class.getName(),
                ItemNeighbours.class.getName(),
                Adjacency.class.getName(),
                NeighbourRows.class.getName(),
                RankingAccumulator.class.getName(),
                // MLlib's ALS internals (package-private in Scala, so by name): ratings, rating and in-blocks
                // shuffled between sweeps, normal equations
                "org.apache.spark.ml.recommendation.ALS$Rating",
                "org.apache.spark.ml.recommendation.ALS$Rating$mcI$sp",
                "[Lorg.apache.spark.ml.recommendation.ALS$Rating;",
                "org.apache.spark.ml.recommendation.ALS$RatingBlock",
                "org.apache.spark.ml.recommendation.ALS$InBlock",
                "org.apache.spark.ml.recommendation.ALS$NormalEquation");
    }
}
