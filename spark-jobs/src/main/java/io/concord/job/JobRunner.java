package io.concord.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.engine.metrics.ProgressReporter;
import io.concord.engine.metrics.RunMetrics;
import io.concord.run.RunDirectory;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one job end to end: config → (no-op if already committed) → input checks → staging → Spark → job → summary
 * → commit. Every failure before commit leaves the run directory absent.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
    public static <C extends JobConfig> C loadConfig(Job<C> job, String configPath, java.util.List<String> sets,
                                                     Configuration hadoopConf) {
        ObjectNode tree = readTree(job, configPath, hadoopConf);
        JsonNodeJob.checkJobField(tree, job.name());
        tree.remove("job");
        tree.remove("provenance");
        for (String assignment : sets) {
            ConfigLoader.applyOverride(tree, assignment);
        }
        C config = ConfigLoader.bind(tree, job.configType());
        job.validate(config);
        return config;
    }

    private <C extends JobConfig> Outcome runTyped(Job<C> job, RunOptions options) {
        long started = System.nanoTime();
        Configuration hadoopConf = new Configuration();
        C config = loadConfig(job, options.configPath(), options.overrides(), hadoopConf);
        String effective = ConfigLoader.toYaml(effectiveTree(job, config));
        out.println("# effective config of " + job.name());
        out.print(effective);
        out.flush();

        String runId = options.runId() != null ? options.runId()
                : job.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String output = options.output() != null ? options.output() : "runs";
        RunDirectory runDir = new RunDirectory(new Path(output), runId, hadoopConf);
        if (runDir.isCommitted() && !options.overwrite()) {
            out.println("run " + runDir.committedPath() + " is already committed; nothing to do "
                    + "(use --overwrite to replace it)");
            return Outcome.ALREADY_COMMITTED;
        }
        job.checkInputs(config, hadoopConf);
        runDir.prepare(options.resume());

        SparkConf sparkConf = ConcordSpark.conf(null, "concord-" + job.name() + "-" + runId,
                config.spark().conf());
        if (options.master() != null) {
            sparkConf.setMaster(options.master());
        } else if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(config.spark().master());
        }
        SparkSession spark = ConcordSpark.session(sparkConf);
        try (RunMetrics metrics = RunMetrics.create(options.progress() ? new ProgressReporter(job.name()) : null)) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ObjectNode recorded = effectiveTree(job, config);
            SparkRuntime.record(recorded.with("provenance"), spark.sparkContext());
            runDir.writeString("config.effective.yaml", ConfigLoader.toYaml(recorded));
            JobContext ctx = new JobContext(job.name(), spark, jsc, runDir, options.resume(), metrics, out);
            JobResult result;
            try {
                result = job.run(config, ctx);
            } catch (Exception e) {
                writeSummary(runDir, job, runId, "failed", null, started, metrics, e);
                throw e instanceof RuntimeException re ? re : new RuntimeException(e);
            }
            writeSummary(runDir, job, runId, "succeeded", result, started, metrics, null);
            runDir.commit();
            out.println("committed " + runDir.committedPath() + " (" + result.rounds() + " rounds, final loss "
                    + result.finalLoss() + ", metrics " + result.metrics() + ")");
            return Outcome.COMMITTED;
        } finally {
            spark.stop();
        }
    }

    private static <C extends JobConfig> ObjectNode effectiveTree(Job<C> job, C config) {
        ObjectNode tree = ConfigLoader.toTree(config);
        ObjectNode root = tree.objectNode();
        root.put("job", job.name());
        root.setAll(tree);
        ObjectNode provenance = root.putObject("provenance");
        Provenance.versions().forEach(provenance::put);
        return root;
    }

    private static void writeSummary(RunDirectory runDir, Job<?> job, String runId, String status,
                                     JobResult result, long started, RunMetrics metrics, Exception failure) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", job.name());
        summary.put("runId", runId);
        summary.put("status", status);
        summary.put("rounds", result == null ? 0 : result.rounds());
        summary.put("wallSeconds", (System.nanoTime() - started) / 1e9);
        summary.put("finalLoss", result == null ? null : finite(result.finalLoss()));
        Map<String, Object> resultMetrics = new LinkedHashMap<>();
        if (result != null) {
            result.metrics().forEach((k, v) -> resultMetrics.put(k, finite(v)));
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
        try {
            runDir.writeString("summary.json", JSON.writeValueAsString(summary) + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write summary.json: {}", e.getMessage());
        }
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
        } catch (java.io.FileNotFoundException e) {
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
