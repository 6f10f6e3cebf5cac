package io.concord.engine.kryo;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

import java.util.List;

/**
 * Registers every class Concord ships through Kryo (broadcasts, task results, shuffles, cached shards), so jobs run
 * with {@code spark.kryo.registrationRequired=true}: an unregistered class fails fast instead of silently writing
 * full class names into every record.
 */
public final class ConcordKryoRegistrator implements KryoRegistrator {

    /** Classes in registration order; keep the order stable (it defines Kryo's class ids). */
    public static final List<String> CLASSES = List.of(
            // JDK and Scala containers that appear inside records, results and shuffles
            "java.util.ArrayList",
            "java.util.HashMap",
            "java.util.LinkedHashMap",
            "java.util.Collections$EmptyList",
            "java.util.Arrays$ArrayList",
            "[Ljava.lang.Object;",
            "[F", "[[F", "[D", "[[D", "[J", "[[J", "[I", "[[I", "[B", "[[B", "[S", "[Z",
            "[Ljava.lang.String;",
            "scala.Tuple2",
            "scala.Tuple3",
            "scala.Tuple2$mcJI$sp",
            "scala.collection.mutable.WrappedArray$ofRef",
            "scala.reflect.ClassTag$GenericClassTag",
            // engine
            "io.concord.engine.Shard",
            "io.concord.engine.RoundRecord",
            "io.concord.engine.RoundInput",
            // ultragcn / als: positives, the broadcast model and its tables, neighbour blocks, ranking sums
            "io.concord.core.ultragcn.Interaction",
            "io.concord.core.ultragcn.UltraGcnModel",
            "io.concord.core.ultragcn.DegreeWeights",
            "io.concord.core.ultragcn.ItemNeighbours",
            "io.concord.core.ultragcn.Adjacency",
            "io.concord.core.ultragcn.NeighbourRows",
            "io.concord.core.metric.RankingAccumulator",
            // Spark MLlib ALS (the als job): ratings, rating and in-blocks shuffled between sweeps, normal equations
            "org.apache.spark.ml.recommendation.ALS$Rating",
            "org.apache.spark.ml.recommendation.ALS$Rating$mcI$sp",
            "[Lorg.apache.spark.ml.recommendation.ALS$Rating;",
            "org.apache.spark.ml.recommendation.ALS$RatingBlock",
            "org.apache.spark.ml.recommendation.ALS$InBlock",
            "org.apache.spark.ml.recommendation.ALS$NormalEquation",
            // records of losses-core / data-loaders
            "io.concord.core.model.LabeledVector",
            "[Lio.concord.core.model.LabeledVector;",
            // preference training (issue 6): token records of losses-core, text records of data-loaders
            "io.concord.core.lm.PromptCompletion",
            "io.concord.core.pref.PreferencePair",
            "io.concord.core.pref.RankedResponses",
            "io.concord.core.pref.UnlearningExample",
            "io.concord.data.pref.TextPair",
            "io.concord.data.pref.TextRanked",
            "io.concord.data.pref.TofuQa",
            "io.concord.data.pref.ArithmeticProblem",
            "io.concord.core.loss.ExampleStateDelta",
            "io.concord.core.moe.MoeExample",
            "io.concord.core.moe.RoutingTally",
            "io.concord.data.calib.StereoPair",
            "[Lio.concord.data.calib.StereoPair;",
            // Spark SQL schemas in task results (Parquet schema inference): the nested types Spark leaves out
            "org.apache.spark.sql.types.ArrayType",
            "org.apache.spark.sql.types.MapType",
            "org.apache.spark.sql.types.DecimalType",
            "org.apache.spark.sql.types.ByteType$",
            "org.apache.spark.sql.types.ShortType$",
            "org.apache.spark.sql.types.IntegerType$",
            "org.apache.spark.sql.types.LongType$",
            "org.apache.spark.sql.types.FloatType$",
            "org.apache.spark.sql.types.DoubleType$",
            "org.apache.spark.sql.types.BooleanType$",
            "org.apache.spark.sql.types.StringType$",
            "org.apache.spark.sql.types.BinaryType$",
            "org.apache.spark.sql.types.DateType$",
            "org.apache.spark.sql.types.TimestampType$",
            "org.apache.spark.sql.types.TimestampNTZType$"
    );

    @Override
    public void registerClasses(Kryo kryo) {
        // ND4J arrays hold off-heap buffers that field serialization would lose (DL4J's "cryptic NPE"); the
        // 1.0.0-M2 nd4j-kryo jar ships the serializer but no registrator, so install it for every INDArray here.
        kryo.addDefaultSerializer(org.nd4j.linalg.api.ndarray.INDArray.class, new org.nd4j.kryo.Nd4jSerializer());
        Class<?> cpuArray = load("org.nd4j.linalg.cpu.nativecpu.NDArray", false);
        if (cpuArray != null) {
            kryo.register(cpuArray);
        }
        for (String name : CLASSES) {
            kryo.register(load(name, true));
        }
    }

    private static Class<?> load(String name, boolean required) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            if (required) {
                throw new IllegalStateException("Kryo registration: class " + name + " not found", e);
            }
            return null;
        }
    }
}
