package io.concord.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.config.Redaction;
import io.concord.engine.metrics.ProgressReporter;
import io.concord.engine.metrics.RunMetrics;
import io.concord.run.ConfigHash;
import io.concord.run.RunDirectory;
import io.concord.run.RunLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one job end to end: config → (no-op if already committed with the same config) → input checks → run lock →
 * staging → Spark → job → summary → commit. Every failure before commit leaves the run directory absent and the
 * staging directory marked {@code _FAILED} (resumable).
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String EFFECTIVE_CONFIG = "config.effective.yaml";

    private final PrintStream out;

    public JobRunner(PrintStream out) {
        this.out = out;
    }

    /** The outcome of {@link #run}. */
    public enum Outcome { COMMITTED, ALREADY_COMMITTED }

    public Outcome run(Job<?> job, RunOptions options) {
        return runTyped(job, options);
    }

    /** Loads, overrides and binds a job's config (exposed for {@code concord validate} and tests). */
    public static <C extends JobConfig> C loadConfig(Job<C> job, String configPath, List<String> sets,
                                                     Configuration hadoopConf) {
        ObjectNode tree = readTree(job, configPath, hadoopConf);
        JsonNodeJob.checkJobField(tree, job.name());
        tree.remove("job");
        tree.remove("provenance");
        tree.remove("derived");
        for (String assignment : sets) {
            ConfigLoader.applyOverride(tree, assignment);
        }
        C config = ConfigLoader.bind(tree, job.configType());
        job.validate(config);
        return config;
    }

    private <C extends JobConfig> Outcome runTyped(Job<C> job, RunOptions options) {
        long started = System.nanoTime();
        C config = loadConfig(job, options.configPath(), options.overrides(), bootstrapHadoopConf());
        String runId = options.runId() != null ? options.runId()
                : job.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        SparkConf sparkConf = ConcordSpark.conf(null, "concord-" + job.name() + "-" + runId,
                config.spark().conf());
        if (options.master() != null) {
            sparkConf.setMaster(options.master());
        } else if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(config.spark().master());
        }
        // The Hadoop configuration Spark will use (spark.hadoop.* over core-site/hdfs-site of HADOOP_CONF_DIR), for
        // the run directory too, so staging, checkpoints, outputs and data all resolve against the same file system.
        Configuration hadoopConf = SparkHadoopUtil.get().newConfiguration(sparkConf);

        ObjectNode tree = effectiveTree(job, config);
        String printed = ConfigLoader.toYaml(Redaction.redact(tree));
        out.println("# effective config of " + job.name());
        out.print(printed);
        out.flush();
        JsonNode comparable = ConfigLoader.parse(new ByteArrayInputStream(printed.getBytes(StandardCharsets.UTF_8)),
                "the effective config");
        String configHash = ConfigHash.of(comparable);

        String output = options.output() != null ? options.output() : "runs";
        RunDirectory runDir = RunDirectory.of(output, runId, hadoopConf);
        if (runDir.isCommitted() && !options.overwrite()) {
            checkSameConfig(runDir, comparable, configHash);
            out.println("run " + runDir.committedPath() + " is already committed; nothing to do "
                    + "(use --overwrite to replace it)");
            return Outcome.ALREADY_COMMITTED;
        }
        job.checkInputs(config, hadoopConf);
        runDir.setCheckpointConfigHash(ConfigHash.forCheckpoint(comparable));
        runDir.lock(Duration.ofSeconds(hadoopConf.getLong(RunLock.STALE_SECONDS_KEY,
                RunLock.DEFAULT_STALE_SECONDS)));
        try {
            if (runDir.isCommitted() && !options.overwrite()) {
                // committed by the submission that held the lock just before this one
                checkSameConfig(runDir, comparable, configHash);
                out.println("run " + runDir.committedPath() + " is already committed; nothing to do "
                        + "(use --overwrite to replace it)");
                return Outcome.ALREADY_COMMITTED;
            }
            runDir.prepare(options.resume(), options.overwrite());
            try {
                return trainAndCommit(job, options, config, sparkConf, tree, configHash, runDir, runId, started);
            } catch (FSError e) {
                RuntimeException failure = new RunDirectory.OutputException("writing under " + runDir.stagingPath()
                        + ": " + e.getCause().getMessage(), e);
                runDir.markFailed(failure.getMessage());
                throw failure;
            } catch (RuntimeException e) {
                runDir.markFailed(String.valueOf(e.getMessage()));
                throw e;
            }
        } finally {
            runDir.release();
        }
    }

    private <C extends JobConfig> Outcome trainAndCommit(Job<C> job, RunOptions options, C config,
                                                         SparkConf sparkConf, ObjectNode tree, String configHash,
                                                         RunDirectory runDir, String runId, long started) {
        SparkSession spark;
        try {
            spark = ConcordSpark.session(sparkConf);
        } catch (IllegalStateException | NullPointerException e) {
            if (stoppedWhileStarting(e)) {
                throw masterStopped(sparkConf.get("spark.master", "?"), e);
            }
            throw e;
        }
        ProgressReporter progress = new ProgressReporter(job.name(), out, options.progress(), options.progressEvery());
        try (GracefulStop stop = GracefulStop.install(progress.console());
             RunMetrics metrics = RunMetrics.create(progress)) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            runDir.lockHeld().setAppId(jsc.sc().applicationId());
            Map<String, Object> provenance = provenance(jsc, tree, configHash);
            ObjectNode saved = tree.deepCopy();
            saved.set("provenance", JSON.valueToTree(provenance));
            runDir.writeString(EFFECTIVE_CONFIG, ConfigLoader.toYaml(Redaction.redact(saved)));
            JobContext ctx = new JobContext(job.name(), spark, jsc, runDir, options.resume(), metrics,
                    progress.console());
            JobResult result;
            try {
                result = SkippedRecords.report(job.run(config, ctx), jsc, out);
            } catch (Exception e) {
                boolean stopped = e instanceof GracefulStop.StopRequested;
                writeSummary(runDir, job, runId, stopped ? "stopped" : "failed", null, started, metrics, e,
                        provenance);
                throw e instanceof RuntimeException re ? re : new RuntimeException(e);
            }
            writeSummary(runDir, job, runId, "succeeded", result, started, metrics, null, provenance);
            runDir.commit(options.overwrite());
            ctx.console().println("committed " + runDir.committedPath() + " (" + result.rounds() + " rounds, final loss "
                    + result.finalLoss() + ", metrics " + result.metrics() + ")");
            ctx.console().println("summary: " + new Path(runDir.committedPath(), "summary.json") + "; report: "
                    + new Path(runDir.committedPath(), "report"));
            return Outcome.COMMITTED;
        } catch (RuntimeException e) {
            // the scheduler backend gave up (a standalone master that never accepted this driver, or lost it): the
            // context stopped under whatever step was running, so any failure then is reported as that
            if (!(e instanceof GracefulStop.StopRequested)
                    && (spark.sparkContext().isStopped() || masterGaveUp(e))) {
                throw masterStopped(spark.sparkContext().master(), e);
            }
            throw e;
        } finally {
            spark.stop();
        }
    }

    /**
     * The master refused the driver while its context was starting, and the backend's stop reached the context
     * first: {@code SparkContext.assertNotStopped}, or (Spark 3.5) the constructor reading the DAG scheduler the stop
     * had already cleared.
     */
    static boolean stoppedWhileStarting(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("Cannot call methods on a stopped SparkContext")
                || e instanceof NullPointerException && message.contains("_dagScheduler()");
    }

    /**
     * The standalone backend aborts the running jobs with its reason first and stops the context afterwards in
     * another thread, so the job's failure can arrive while the context still looks alive: recognise the reason.
     */
    private static boolean masterGaveUp(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            String message = String.valueOf(c.getMessage());
            if (message.contains("All masters are unresponsive") || message.contains("Master removed our application")
                    || message.contains("Application has been killed")) {
                return true;
            }
        }
        return false;
    }

    /** Exit 4 with the likely cause when the Spark master stopped the application (never registered or lost). */
    private static UncheckedIOException masterStopped(String master, Exception cause) {
        String reason = "Spark master " + master + " stopped the application (never registered or lost): check "
                + "that the master is reachable and that spark.authenticate and the shared secret match the cluster's";
        return new UncheckedIOException(reason, new IOException(reason, cause));
    }

    /**
     * A committed run is only "already committed" for the same effective config; another config under the same run
     * id is refused, naming the keys that differ.
     */
    private static void checkSameConfig(RunDirectory runDir, JsonNode requested, String requestedHash) {
        Path committedConfig = new Path(runDir.committedPath(), EFFECTIVE_CONFIG);
        JsonNode committed;
        try (InputStream in = runDir.fs().open(committedConfig)) {
            committed = ConfigLoader.parse(in, committedConfig.toString());
        } catch (FileNotFoundException e) {
            LOG.warn("{} has no {}; cannot compare configs", runDir.committedPath(), EFFECTIVE_CONFIG);
            return;
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + committedConfig + ": " + e.getMessage(), e);
        }
        if (!ConfigHash.of(committed).equals(requestedHash)) {
            throw new ConfigException("--run-id", "run " + runDir.committedPath() + " was committed with another "
                    + "config (differing keys: " + String.join(", ", ConfigHash.differingKeys(committed, requested))
                    + "); use another run id, or --overwrite to replace it");
        }
    }

    /** The Hadoop configuration for reading the config file itself: spark.hadoop.* of spark-submit's conf. */
    private static Configuration bootstrapHadoopConf() {
        return SparkHadoopUtil.get().newConfiguration(new SparkConf());
    }

    /**
     * The bound config as a tree with the keys the job derives moved to a {@code derived:} section (saying how),
     * for {@code validate} and {@code config.effective.yaml}.
     */
    public static <C extends JobConfig> ObjectNode withDerived(Job<C> job, C config) {
        ObjectNode tree = ConfigLoader.toTree(config);
        Map<String, String> derived = new TreeMap<>(job.derivedKeys(config));
        if (!derived.isEmpty()) {
            ObjectNode section = tree.putObject(DerivedValues.SECTION);
            derived.forEach((key, how) -> {
                int dot = key.lastIndexOf('.');
                JsonNode parent = dot < 0 ? tree : tree.at("/" + key.substring(0, dot).replace('.', '/'));
                if (parent instanceof ObjectNode p) {
                    p.remove(key.substring(dot + 1));
                }
                section.put(key, how);
            });
        }
        return tree;
    }

    private static <C extends JobConfig> ObjectNode effectiveTree(Job<C> job, C config) {
        ObjectNode tree = withDerived(job, config);
        ObjectNode root = tree.objectNode();
        root.put("job", job.name());
        root.setAll(tree);
        return root;
    }

    private static Map<String, Object> provenance(JavaSparkContext jsc, ObjectNode tree, String configHash) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("configHash", configHash);
        provenance.put("versions", Provenance.versions());
        provenance.put("platform", Provenance.platform());
        provenance.put("spark", Provenance.spark(jsc.sc()));
        provenance.put("inputs", Provenance.inputs(tree, jsc.hadoopConfiguration()));
        return provenance;
    }

    private static void writeSummary(RunDirectory runDir, Job<?> job, String runId, String status,
                                     JobResult result, long started, RunMetrics metrics, Exception failure,
                                     Map<String, Object> provenance) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", job.name());
        summary.put("runId", runId);
        summary.put("status", status);
        summary.put("rounds", result != null ? result.rounds()
                : failure instanceof GracefulStop.StopRequested stop ? stop.completedRounds() : 0);
        summary.put("wallSeconds", (System.nanoTime() - started) / 1e9);
        summary.put("finalLoss", result == null ? null : finite(result.finalLoss()));
        RunDirectory.Objective objective = runDir.objective();
        Map<String, Object> objectiveEntry = new LinkedHashMap<>();
        objectiveEntry.put("metric", objective == null ? "finalLoss" : objective.metric());
        objectiveEntry.put("direction", objective == null ? "minimize" : objective.direction());
        summary.put("objective", objectiveEntry);
        Map<String, Object> resultMetrics = new LinkedHashMap<>();
        if (result != null) {
            result.metrics().forEach((k, v) -> resultMetrics.put(k, number(v)));
        }
        summary.put("metrics", resultMetrics);
        summary.put("timings", metrics.summary());
        if (result != null) {
            summary.put("details", result.details());
        }
        if (failure != null) {
            summary.put("error", String.valueOf(failure.getMessage()));
        }
        summary.put("versions", Provenance.versions());
        summary.put("provenance", provenance);
        try {
            runDir.writeString("summary.json", JSON.writeValueAsString(summary) + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write summary.json: {}", e.getMessage());
        }
    }

    /** Counters (whole numbers) as JSON integers, other finite values as numbers, NaN/Infinity as strings. */
    private static Object number(double v) {
        if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (long) v;
        }
        return finite(v);
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : String.valueOf(v);
    }

    private static ObjectNode readTree(Job<?> job, String configPath, Configuration hadoopConf) {
        if (configPath == null) {
            try (InputStream in = JobRunner.class.getResourceAsStream(job.defaultConfigResource())) {
                if (in == null) {
                    throw new ConfigException("--config", "is required: job '" + job.name()
                            + "' has no built-in default config");
                }
                return ConfigLoader.parse(in, "built-in " + job.defaultConfigResource());
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read the built-in default: " + e.getMessage());
            }
        }
        if (configPath.startsWith("preset:")) {
            String resource = "/concord/presets/" + job.name() + "/" + configPath.substring(7) + ".yaml";
            try (InputStream in = JobRunner.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException("--config", configPath, "an existing preset of job '" + job.name()
                            + "' (see docs) or a file path");
                }
                return ConfigLoader.parse(in, configPath);
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read " + configPath + ": " + e.getMessage());
            }
        }
        Path path = new Path(configPath);
        try (InputStream in = path.getFileSystem(hadoopConf).open(path)) {
            return ConfigLoader.parse(in, configPath);
        } catch (FileNotFoundException e) {
            throw new ConfigException("--config", configPath, "an existing YAML file (not found)");
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + configPath + ": " + e.getMessage());
        }
    }

    /** The optional {@code job:} field of a config file must match the job being run. */
    static final class JsonNodeJob {
        private JsonNodeJob() {
        }

        static void checkJobField(ObjectNode tree, String jobName) {
            if (tree.has("job") && !tree.get("job").asText().equals(jobName)) {
                throw new ConfigException("job", tree.get("job").asText(), "'" + jobName
                        + "' (the config is for another job)");
            }
        }
    }
}
