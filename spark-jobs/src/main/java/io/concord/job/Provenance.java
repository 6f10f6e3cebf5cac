package io.concord.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.config.Redaction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkContext;
import org.apache.spark.package$;
import scala.Tuple2;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What every run records about where and from what it ran (effective config and summary): versions (Concord, Spark,
 * DL4J, Hadoop, Java, git commit of the build), the platform, the real Spark master and application id, the Spark
 * conf with secrets redacted, and a fingerprint of the inputs (path, size, modification time of each file).
 */
public final class Provenance {

    /** At most this many files are listed per input path. */
    static final int MAX_FILES_LISTED = 100;
    /** Totals cover at most this many files per input path (then {@code complete} is false). */
    static final int MAX_FILES_COUNTED = 100_000;

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
        out.put("concord", property(props, "concord.version"));
        out.put("gitCommit", property(props, "git.commit"));
        out.put("sparkBuiltAgainst", property(props, "spark.version"));
        out.put("sparkRuntime", package$.MODULE$.SPARK_VERSION());
        out.put("scala", property(props, "scala.binary.version"));
        out.put("dl4j", property(props, "dl4j.version"));
        out.put("nd4jBackend", property(props, "nd4j.backend"));
        out.put("hadoop", property(props, "hadoop.version"));
        out.put("java", System.getProperty("java.version"));
        return out;
    }

    /** OS, architecture, JVM. */
    public static Map<String, String> platform() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        out.put("arch", System.getProperty("os.arch"));
        out.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        out.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        return out;
    }

    /** The running application: master, app id, user, start time and its Spark conf (sorted, redacted). */
    public static Map<String, Object> spark(SparkContext sc) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("master", sc.master());
        out.put("appId", sc.applicationId());
        out.put("appName", sc.appName());
        out.put("user", sc.sparkUser());
        out.put("started", Instant.ofEpochMilli(sc.startTime()).toString());
        Map<String, String> conf = new TreeMap<>();
        for (Tuple2<String, String> kv : sc.getConf().getAll()) {
            conf.put(kv._1(), kv._2());
        }
        Pattern pattern = Redaction.pattern(sc.getConf().get("spark.redaction.regex", null));
        out.put("conf", Redaction.redact(conf, pattern));
        return out;
    }

    /**
     * Every string of the config (outside {@code spark} and {@code provenance}) that names an existing file or
     * directory: its files with size and modification time, and totals.
     */
    public static List<Map<String, Object>> inputs(JsonNode effective, Configuration hadoopConf) {
        List<String> candidates = new ArrayList<>();
        collectPaths(effective, "", candidates);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                Path path = new Path(candidate);
                FileSystem fs = path.getFileSystem(hadoopConf);
                if (!fs.exists(path)) {
                    continue;
                }
                out.add(fingerprint(fs, fs.makeQualified(path)));
            } catch (IOException | IllegalArgumentException e) {
                // not a path (or unreachable): nothing to fingerprint
            }
        }
        return out;
    }

    private static Map<String, Object> fingerprint(FileSystem fs, Path path) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", path.toString());
        List<Map<String, Object>> files = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        long newest = 0;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
        while (it.hasNext() && count < MAX_FILES_COUNTED) {
            FileStatus status = it.next();
            count++;
            bytes += status.getLen();
            newest = Math.max(newest, status.getModificationTime());
            if (files.size() < MAX_FILES_LISTED) {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("path", status.getPath().toString());
                file.put("size", status.getLen());
                file.put("modified", Instant.ofEpochMilli(status.getModificationTime()).toString());
                files.add(file);
            }
        }
        entry.put("files", count);
        entry.put("complete", !it.hasNext());
        entry.put("bytes", bytes);
        entry.put("newestModification", newest == 0 ? null : Instant.ofEpochMilli(newest).toString());
        entry.put("listed", files);
        return entry;
    }

    private static void collectPaths(JsonNode node, String key, List<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String child = key.isEmpty() ? e.getKey() : key + "." + e.getKey();
                if (!child.equals("spark") && !child.equals("provenance")) {
                    collectPaths(e.getValue(), child, out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(e -> collectPaths(e, key, out));
        } else if (node.isTextual()) {
            String text = node.asText();
            if ((text.contains("/") || text.contains(":")) && !text.startsWith("preset:") && !out.contains(text)
                    && !Redaction.isSensitive(key)) {
                out.add(text);
            }
        }
    }

    private static String property(Properties props, String key) {
        String value = props.getProperty(key);
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
