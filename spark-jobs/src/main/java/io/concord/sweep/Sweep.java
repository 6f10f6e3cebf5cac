package io.concord.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.cli.ConcordMain;
import io.concord.cli.JobRegistry;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.job.Job;
import io.concord.job.JobRunner;
import io.concord.run.ChartGrid;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Runs a sweep: every point is one {@code concord train} submission (a JVM of its own, or the spec's
 * {@code submit} launcher such as {@code scripts/submit --master yarn}), {@code parallel} at a time.
 *
 * <p>A point's run id is {@code <name>-<axis values>-<hash>}, where hash is the first 12 hex digits of the SHA-256
 * of the point's whole effective config (defaults filled in, fixed keys and axis values applied): re-running the
 * sweep finds committed points (a no-op each) and resumes crashed ones, while a change of any fixed key, base config
 * or default gives new run ids, never the old runs. Each sweep writes its own folder
 * {@code <output>/_sweeps/<name>-<yyyyMMdd-HHmmss>[-k]/} (never reused): {@code sweep.json} (spec and points),
 * {@code results.csv}, {@code <metric>.png} (the metric against each axis, best point marked) and one log per point
 * under {@code logs/}. All through Hadoop's FileSystem, so the output may be {@code hdfs://}.
 */
public final class Sweep {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|token|access[.]?key");
    private static final String REDACTED = "*********(redacted)";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final SweepSpec spec;
    private final Configuration hadoopConf;
    private final PrintStream out;

    public Sweep(SweepSpec spec, Configuration hadoopConf, PrintStream out) {
        this.spec = spec;
        this.hadoopConf = hadoopConf;
        this.out = out;
    }

    /** A point with its run id. */
    public record Planned(Map<String, String> values, String runId) {
    }

    /** A finished point: exit code and its committed summary (null when none). */
    public record Outcome(Planned point, int exitCode, JsonNode summary) {
        boolean committed() {
            return exitCode == 0 && summary != null && "succeeded".equals(summary.path("status").asText());
        }
    }

    /** The points and their run ids; validates every point's config (a bad value fails before anything runs). */
    public List<Planned> plan() {
        Job<?> job = JobRegistry.get(spec.job());
        List<Planned> planned = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, String> values : SweepPoints.of(spec)) {
            List<String> sets = sets(values);
            String effective = ConfigLoader.toYaml(JobRunner.loadConfig(job, spec.config(), sets, hadoopConf));
            String runId = spec.name() + "-" + slug(values) + sha256(effective).substring(0, 12);
            if (ids.add(runId)) {
                planned.add(new Planned(values, runId));
            }
        }
        return planned;
    }

    /** Runs every planned point; returns 0 when all committed, 1 otherwise. */
    public int run() throws IOException, InterruptedException {
        List<Planned> planned = plan();
        FileSystem fs = new Path(spec.output()).getFileSystem(hadoopConf);
        Path dir = createSweepDir(fs);
        writeSpec(fs, dir, planned);
        out.println("sweep " + spec.name() + ": " + planned.size() + " points, " + spec.parallel()
                + " at a time; results in " + dir);
        ExecutorService pool = Executors.newFixedThreadPool(spec.parallel());
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Planned p : planned) {
            futures.add(pool.submit(() -> runPoint(fs, dir, p)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } catch (ExecutionException e) {
            throw new IOException("sweep point failed to launch: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        String metric = metric(outcomes);
        Outcome best = best(outcomes, metric);
        SweepTable table = new SweepTable(spec.axes(), outcomes, metric);
        writeText(fs, new Path(dir, "results.csv"), table.csv());
        out.print(table.text());
        if (metric != null) {
            List<SweepPlot.Point> points = new ArrayList<>();
            for (Outcome o : outcomes) {
                double v = value(o, metric);
                if (o.committed() && Double.isFinite(v)) {
                    points.add(new SweepPlot.Point(o.point().runId(), o.point().values(), v));
                }
            }
            if (!points.isEmpty() && !spec.axes().isEmpty()) {
                SweepPlot.Point bestPoint = best == null ? null
                        : new SweepPlot.Point(best.point().runId(), best.point().values(), value(best, metric));
                try (FSDataOutputStream o = fs.create(new Path(dir, plotName(metric)), false)) {
                    ChartGrid.write(SweepPlot.render(spec.axes(), points, bestPoint, metric), o);
                }
            }
        }
        long committed = outcomes.stream().filter(Outcome::committed).count();
        out.println("sweep " + spec.name() + ": " + committed + "/" + outcomes.size() + " runs committed"
                + (best == null ? "" : "; best " + metric + " " + fmt(value(best, metric)) + " ("
                + (spec.maximize() ? "max" : "min") + ") at " + best.point().runId() + " " + best.point().values())
                + "; table " + new Path(dir, "results.csv"));
        return committed == outcomes.size() ? ConcordMain.OK : ConcordMain.FAILED;
    }

    static String plotName(String metric) {
        return metric.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    }

    private List<String> sets(Map<String, String> values) {
        List<String> sets = new ArrayList<>();
        spec.fixed().forEach((k, v) -> sets.add(k + "=" + v));
        values.forEach((k, v) -> sets.add(k + "=" + v));
        return sets;
    }

    private Outcome runPoint(FileSystem fs, Path dir, Planned p) throws IOException, InterruptedException {
        if (fs.exists(new Path(new Path(spec.output(), p.runId()), RunDirectory.SUCCESS))) {
            // the run id carries the effective config's hash: a committed run is this very point
            out.println("[sweep] start " + p.runId() + " " + p.values());
            out.println("[sweep] done  " + p.runId() + " exit 0 (already committed)");
            return new Outcome(p, 0, readSummary(fs, p.runId()));
        }
        List<String> cmd = new ArrayList<>(launcher());
        cmd.addAll(List.of("train", spec.job(), "--output", spec.output(), "--run-id", p.runId(), "--resume",
                "--no-progress"));
        if (spec.config() != null) {
            cmd.addAll(List.of("--config", spec.config()));
        }
        if (spec.submit().isEmpty() && spec.master() != null) {
            cmd.addAll(List.of("--master", spec.master()));
        }
        for (String s : sets(p.values())) {
            cmd.addAll(List.of("--set", s));
        }
        out.println("[sweep] start " + p.runId() + " " + p.values());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        Process process = pb.start();
        byte[] log = process.getInputStream().readAllBytes();
        int code = process.waitFor();
        try (FSDataOutputStream o = fs.create(new Path(dir, "logs/" + p.runId() + ".log"), true)) {
            o.write(log);
        }
        JsonNode summary = readSummary(fs, p.runId());
        out.println("[sweep] done  " + p.runId() + " exit " + code
                + (new String(log, StandardCharsets.UTF_8).contains("already committed") ? " (already committed)" : ""));
        return new Outcome(p, code, summary);
    }

    /** The spec's submit command, or this JVM's java, module options and class path with the point's heap. */
    private List<String> launcher() {
        if (!spec.submit().isEmpty()) {
            return spec.submit();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-XX:") || a.startsWith("-Dlog4j2.configurationFile=")
                    || a.startsWith("-Djdk.") || a.startsWith("-Dio.netty.") || a.startsWith("-Dorg.bytedeco.")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + spec.pointMemory());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ConcordMain.class.getName()));
        return cmd;
    }

    private JsonNode readSummary(FileSystem fs, String runId) {
        Path p = new Path(new Path(spec.output(), runId), "summary.json");
        try {
            if (!fs.exists(new Path(new Path(spec.output(), runId), RunDirectory.SUCCESS))) {
                return null;
            }
            try (FSDataInputStream in = fs.open(p)) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            out.println("[sweep] cannot read " + p + ": " + e.getMessage());
            return null;
        }
    }

    private Path createSweepDir(FileSystem fs) throws IOException {
        Path root = new Path(spec.output(), "_sweeps");
        String base = spec.name() + "-" + LocalDateTime.now().format(STAMP);
        for (int k = 1; ; k++) {
            Path dir = new Path(root, k == 1 ? base : base + "-" + k);
            try {
                // create(overwrite=false) of a marker claims the folder: two sweeps never share one
                fs.create(new Path(dir, "_sweep"), false).close();
                return dir;
            } catch (FileAlreadyExistsException e) {
                // taken: next suffix
            } catch (IOException e) {
                if (!fs.exists(new Path(dir, "_sweep"))) {
                    throw new RunDirectory.OutputException("cannot create sweep folder " + dir + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    private void writeSpec(FileSystem fs, Path dir, List<Planned> planned) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode specTree = JSON.valueToTree(spec);
        ArrayNode submit = specTree.putArray("submit");
        for (String a : spec.submit()) {
            // launcher options such as --conf spark.x.password=... are never saved in clear
            int eq = a.indexOf('=');
            submit.add(eq > 0 && SECRET_KEY.matcher(a.substring(0, eq)).find() ? a.substring(0, eq + 1) + REDACTED : a);
        }
        ObjectNode fixed = specTree.putObject("fixed");
        spec.fixed().forEach((k, v) -> fixed.put(k, SECRET_KEY.matcher(k).find() ? REDACTED : v));
        root.set("spec", specTree);
        ArrayNode points = root.putArray("points");
        for (Planned p : planned) {
            ObjectNode n = points.addObject();
            n.put("runId", p.runId());
            n.set("values", JSON.valueToTree(p.values()));
        }
        writeText(fs, new Path(dir, "sweep.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static void writeText(FileSystem fs, Path path, String text) throws IOException {
        try (FSDataOutputStream o = fs.create(path, false)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String metric(List<Outcome> outcomes) {
        if (spec.metric() != null) {
            return spec.metric();
        }
        for (Outcome o : outcomes) {
            if (o.summary() != null && o.summary().path("metrics").fieldNames().hasNext()) {
                return o.summary().path("metrics").fieldNames().next();
            }
        }
        return null;
    }

    private Outcome best(List<Outcome> outcomes, String metric) {
        Outcome best = null;
        for (Outcome o : outcomes) {
            double v = value(o, metric);
            if (o.committed() && Double.isFinite(v) && (best == null
                    || (spec.maximize() ? v > value(best, metric) : v < value(best, metric)))) {
                best = o;
            }
        }
        return best;
    }

    static double value(Outcome o, String metric) {
        if (metric == null || o.summary() == null) {
            return Double.NaN;
        }
        JsonNode v = o.summary().path("metrics").path(metric);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** {@code key-value_} per axis (leaf key names), safe for paths, at most 80 characters. */
    static String slug(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k.substring(k.lastIndexOf('.') + 1)).append('-').append(v).append('_'));
        String s = sb.toString().replaceAll("[^A-Za-z0-9.=_-]", "-");
        return s.length() > 80 ? s.substring(0, 80) + "_" : s;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a spec from a path or Hadoop URI. */
    public static SweepSpec readSpec(String location, Configuration conf) {
        Path p = new Path(location);
        try (FSDataInputStream in = p.getFileSystem(conf).open(p)) {
            return SweepSpec.parse(ConfigLoader.parse(in, location), location);
        } catch (FileNotFoundException e) {
            throw new ConfigException("sweep spec", location, "an existing YAML file (not found)");
        } catch (IOException e) {
            throw new RunDirectory.OutputException("cannot read sweep spec " + location + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> row(List<String> axes, Outcome o) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("runId", o.point().runId());
        axes.forEach(a -> row.put(a, o.point().values().get(a)));
        row.put("exit", o.exitCode());
        JsonNode s = o.summary();
        row.put("status", s == null ? "" : s.path("status").asText());
        row.put("rounds", s == null ? "" : s.path("rounds").asText());
        row.put("wallSeconds", s == null ? "" : fmt(s.path("wallSeconds").asDouble()));
        row.put("finalLoss", s == null ? "" : s.path("finalLoss").asText());
        return row;
    }
}
