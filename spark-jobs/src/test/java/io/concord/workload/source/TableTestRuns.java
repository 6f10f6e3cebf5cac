package io.concord.workload.source;

import io.concord.cli.CliRunner;
import io.concord.job.ConcordSpark;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the Spark SQL source tests share: a local session with its own catalog, and CLI runs with --set lists. */
final class TableTestRuns {

    private TableTestRuns() {
    }

    /** local[2], no UI, 4 shuffle partitions, the in-memory catalog's warehouse under {@code warehouse}. */
    static SparkSession session(String app, File warehouse) {
        return ConcordSpark.session(ConcordSpark.conf("local[2]", app, Map.of("spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "4", "spark.sql.warehouse.dir", warehouse.toURI().toString())));
    }

    /** {@code concord train <job>} on local[2] into {@code out}, one {@code --set} per entry of the lists in order. */
    static CliRunner.Result train(File out, String job, String runId, String[]... sets) {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", out.toString(), "--run-id", runId,
                "--master", "local[2]", "--no-progress"));
        for (String[] list : sets) {
            for (String s : list) {
                args.add("--set");
                args.add(s);
            }
        }
        return CliRunner.run(args.toArray(String[]::new));
    }

    static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }
}
