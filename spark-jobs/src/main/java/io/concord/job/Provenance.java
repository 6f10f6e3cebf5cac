package io.concord.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions recorded with every run (effective config and summary): Concord, Spark, DL4J, Hadoop, Java. */
public final class Provenance {

    private Provenance() {
    }

    public static Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        Properties props = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/concord-build.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException ignored) {
            // versions are informative only
        }
        out.put("concord", props.getProperty("concord.version", "unknown"));
        out.put("sparkBuiltAgainst", props.getProperty("spark.version", "unknown"));
        out.put("sparkRuntime", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        out.put("scala", props.getProperty("scala.binary.version", "unknown"));
        out.put("dl4j", props.getProperty("dl4j.version", "unknown"));
        out.put("nd4jBackend", props.getProperty("nd4j.backend", "unknown"));
        out.put("hadoop", props.getProperty("hadoop.version", "unknown"));
        out.put("java", System.getProperty("java.version"));
        return out;
    }
}
