package io.concord.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import scala.Tuple2;

import java.util.Arrays;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * What a run actually ran on, as Spark reports it once the session is up: the master (spark://..., yarn, k8s://...),
 * the application id and name, and the whole Spark conf (values of keys matching {@code spark.redaction.regex}
 * redacted as Spark's UI does). Recorded in {@code config.effective.yaml} under {@code provenance.spark}.
 */
public final class SparkRuntime {

    static final String DEFAULT_REDACTION_REGEX = "(?i)secret|password|token|access[.]?key";
    static final String REDACTED = "*********(redacted)";

    private SparkRuntime() {
    }

    public static void record(ObjectNode provenance, SparkContext sc) {
        ObjectNode spark = provenance.putObject("spark");
        spark.put("master", sc.master());
        spark.put("appId", sc.applicationId());
        spark.put("appName", sc.appName());
        SparkConf conf = sc.getConf();
        Pattern redact = Pattern.compile(conf.get("spark.redaction.regex", DEFAULT_REDACTION_REGEX));
        ObjectNode out = spark.putObject("conf");
        Arrays.stream(conf.getAll()).sorted(Comparator.comparing((Tuple2<String, String> t) -> t._1()))
                .forEach(t -> out.put(t._1(), redact.matcher(t._1()).find() ? REDACTED : t._2()));
    }
}
