package io.concord.job;

import io.concord.engine.kryo.ConcordKryoRegistrator;
import io.concord.engine.metrics.ConcordSparkPlugin;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Builds Concord's Spark session: Kryo with required registration and buffers sized for large parameter vectors,
 * Concord's metrics plugin, and result-size limits that admit whole parameter vectors. Explicit settings (from the
 * job config or spark-submit) win over these defaults.
 */
public final class ConcordSpark {

    /** Defaults applied unless the user's SparkConf already sets the key. */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("spark.serializer", "org.apache.spark.serializer.KryoSerializer"),
            Map.entry("spark.kryo.registrator", ConcordKryoRegistrator.class.getName()),
            Map.entry("spark.kryo.registrationRequired", "true"),
            Map.entry("spark.kryo.unsafe", "true"),
            Map.entry("spark.kryoserializer.buffer", "1m"),
            Map.entry("spark.kryoserializer.buffer.max", "2000m"),
            Map.entry("spark.driver.maxResultSize", "0"),
            // Round records carry whole parameter vectors: send them as direct task results (one RPC message)
            // instead of storing them in the executor's block manager and fetching them back.
            Map.entry("spark.rpc.message.maxSize", "2000"),
            Map.entry("spark.task.maxDirectResultSize", "2000m"),
            Map.entry("spark.plugins", ConcordSparkPlugin.class.getName()),
            Map.entry("spark.task.maxFailures", "4"),
            // allreduce transport: a stuck peer fails its barrier stage (which Spark retries) instead of hanging
            Map.entry("spark.barrier.sync.timeout", "600s"),
            Map.entry("spark.ui.showConsoleProgress", "false"),
            // A batch run needs no web UI (and a port) unless asked: --spark-ui, spark-submit --conf
            // spark.ui.enabled=true, or spark.conf in the job config.
            Map.entry("spark.ui.enabled", "false"));

    private ConcordSpark() {
    }

    /**
     * A conf with Concord's defaults under {@code overrides}. {@code master} may be null (spark-submit sets it).
     * {@code appName} names the run (concord-<job>-<run-id>); it is the default metrics namespace.
     */
    public static SparkConf conf(String master, String appName, Map<String, String> overrides) {
        SparkConf conf = new SparkConf();
        if (master != null && !conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(appName);
        }
        DEFAULTS.forEach(conf::setIfMissing);
        overrides.forEach(conf::set);
        // Per-run metric names (<namespace>.driver.plugin...): appName is concord-<job>-<run-id>, unique per run,
        // whereas spark.app.name under spark-submit may be shared by every run.
        conf.setIfMissing("spark.metrics.namespace", appName);
        AuthSecret.apply(conf, System.getenv());
        return conf;
    }

    public static SparkSession session(SparkConf conf) {
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
