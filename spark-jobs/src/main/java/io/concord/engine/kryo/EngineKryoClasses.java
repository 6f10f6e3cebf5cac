package io.concord.engine.kryo;

import io.concord.engine.RoundInput;
import io.concord.engine.RoundRecord;
import io.concord.engine.Shard;
import io.concord.engine.allreduce.RoundReport;
import io.concord.engine.allreduce.StageInput;
import io.concord.engine.allreduce.StageOutput;

import java.util.List;

/** JDK and Scala containers found inside records, results and shuffles, and the engine's own types. */
public final class EngineKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(
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
                // the (level, class tag) metadata of a block the allreduce exchange uploads to a peer executor
                "scala.reflect.ManifestFactory$AnyManifest",
                Shard.class.getName(),
                RoundRecord.class.getName(),
                RoundInput.class.getName(),
                // allreduce transport: stage broadcast, task results, per-round reports
                StageInput.class.getName(),
                StageOutput.class.getName(),
                StageOutput[].class.getName(),
                RoundReport.class.getName());
    }
}
