package io.concord.cli;

import io.concord.core.param.ParamException;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.data.DataException;
import io.concord.inference.EvaluateCommand;
import io.concord.inference.PredictCommand;
import io.concord.inference.RecommendCommand;
import io.concord.job.GracefulStop.StopRequested;
import io.concord.job.Job;
import io.concord.job.JobConfig;

import io.concord.job.JobRunner;
import io.concord.job.Provenance;
import io.concord.job.RunOptions;
import io.concord.run.RunDirectory;
import io.concord.sweep.Sweep;
import io.concord.sweep.SweepSpec;
import org.apache.hadoop.conf.Configuration;
import io.concord.config.Redaction;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code concord} command line. The same main class runs embedded (local Spark) and under {@code spark-submit}.
 *
 * <p>Exit codes: 0 committed (or already committed); 1 training failed; 2 bad usage or config; 3 bad input data;
 * 4 I/O failure (output not writable, disk full, lost connection, run locked by another submission); 143 (SIGTERM) /
 * 130 (SIGINT) stopped by a signal after writing a checkpoint (staging kept, continue with {@code --resume}).
 */
@Command(name = "concord", mixinStandardHelpOptions = true, versionProvider = ConcordMain.Version.class,
        description = "Distributed training of constraint-loss workloads on Apache Spark.",
        subcommands = {ConcordMain.Train.class, ConcordMain.Validate.class, ConcordMain.Jobs.class,
                RecommendCommand.class, PredictCommand.class, EvaluateCommand.class,
                ConcordMain.SweepCommand.class})
public final class ConcordMain implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int BAD_OUTPUT = 4;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return USAGE;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the CLI without exiting the JVM (tests, embedding). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new ConcordMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            StopRequested stop = stopOf(ex);
            if (stop != null) {
                err.println("concord: " + stop.getMessage());
                return stop.exitCode();
            }
            int code = exitCode(ex);
            err.println("concord: error: " + message(ex).strip().replaceAll("\\s*\\R\\s*", " "));
            if (code == FAILED) {
                ex.printStackTrace(err);
            }
            return code;
        });
        cli.setParameterExceptionHandler((ex, args2) -> {
            err.println("concord: error: " + ex.getMessage().strip().replace('\n', ' ') + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        return cli.execute(args);
    }

    private static StopRequested stopOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StopRequested s) {
                return s;
            }
        }
        return null;
    }

    static int exitCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ParamException) {
                return USAGE;
            }
            if (c instanceof DataException) {
                return BAD_INPUT;
            }
            if (c instanceof RunDirectory.OutputException) {
                return BAD_OUTPUT;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException || c instanceof FSError) {
                return BAD_OUTPUT;
            }
        }
        return FAILED;
    }

    /** The most specific message: the first Concord exception in the cause chain, else the root cause. */
    static String message(Throwable t) {
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ParamException || c instanceof DataException
                    || c instanceof RunDirectory.OutputException) {
                return c.getMessage();
            }
            root = c;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UncheckedIOException) {
                return c.getMessage();
            }
            if (c instanceof IOException || c instanceof FSError) {
                return "I/O error: " + (c instanceof FSError ? c.getCause() : c).getMessage();
            }
        }
        return String.valueOf(root.getMessage() == null ? root : root.getMessage());
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a job and commit its run directory <output>/<run-id>/.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", description = "job name (see `concord jobs`)")
        String job;
        @Option(names = "--config", description = "YAML config: a path, any Hadoop URI, or preset:<name>; "
                + "default: the job's built-in config")
        String config;
        @Option(names = "--output", description = "output root (any Hadoop URI); default: ./runs")
        String output;
        @Option(names = "--run-id", description = "run id; default: <job>-<timestamp>")
        String runId;
        @Option(names = "--master", description = "Spark master for embedded runs (default from config: "
                + "local[*]); ignored under spark-submit unless given")
        String master;
        @Option(names = "--set", description = "override a config key, e.g. --set train.rounds=50")
        List<String> sets = new ArrayList<>();
        @Option(names = "--resume", description = "continue from the newest checkpoint of this run id")
        boolean resume;
        @Option(names = "--overwrite", description = "replace an already committed run with this id")
        boolean overwrite;
        @Option(names = "--no-progress", description = "no console progress bar")
        boolean noProgress;
        @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "30",
                description = "print a progress line (round, epoch, examples/s, loss, ETA, last evaluation) every "
                        + "SECONDS, terminal or not; 0 = never (default: ${DEFAULT-VALUE})")
        double progressEvery;
        @Option(names = "--spark-ui", description = "start the Spark web UI (off by default in batch runs; "
                + "spark.ui.enabled=true from spark-submit or the job config also turns it on)")
        boolean sparkUi;

        @Override
        public Integer call() {
            boolean progress = !noProgress && System.console() != null;
            if (!(progressEvery >= 0) || Double.isInfinite(progressEvery)) {
                throw new ConfigException("--progress-every", progressEvery, "a number of seconds >= 0");
            }
            if (sparkUi) {
                System.setProperty("spark.ui.enabled", "true");
            }
            try {
                new JobRunner(System.out).run(JobRegistry.get(job), new RunOptions(config, output, runId, master, sets,
                        resume, overwrite, progress, Duration.ofMillis(Math.round(progressEvery * 1000))));
            } catch (FSError e) {
                throw new UncheckedIOException("I/O error under " + (output == null ? "runs" : output) + ": "
                        + e.getCause().getMessage(), new IOException(e.getCause()));
            }
            return OK;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a config (keys, types, ranges) and print the effective config; runs nothing.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "job name")
        String job;
        @Option(names = "--config", description = "YAML config; default: the job's built-in config")
        String config;
        @Option(names = "--set", description = "override a config key")
        List<String> sets = new ArrayList<>();

        @Override
        public Integer call() {
            System.out.print(ConfigLoader.toYaml(Redaction.redact(ConfigLoader.toTree(effective(JobRegistry.get(job))))));
            System.out.println("# config is valid for job " + job);
            return OK;
        }

        private <C extends JobConfig> Object effective(Job<C> j) {
            C bound = JobRunner.loadConfig(j, config, sets, SparkHadoopUtil.get().newConfiguration(new SparkConf()));
            return JobRunner.withDerived(j, bound);
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the jobs.")
    static final class Jobs implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Job<?> j : JobRegistry.all()) {
                System.out.printf("%-22s %s%n", j.name(), j.description());
            }
            return OK;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Grid/random search from a YAML spec: one run per point, a results table and plot per sweep.")
    static final class SweepCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "sweep spec (YAML path or Hadoop URI); keys: see docs/cluster.md")
        String spec;
        @Option(names = "--parallel", description = "concurrent runs (overrides the spec's parallel)")
        Integer parallel;
        @Option(names = "--output", description = "output root (overrides the spec's output)")
        String output;
        @Option(names = "--submit", description = "launcher command, e.g. \"scripts/submit --master yarn\" "
                + "(overrides the spec's submit)")
        String submit;
        @Option(names = "--dry-run", description = "print the points and their run ids; run nothing")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Configuration conf = SparkHadoopUtil.get().newConfiguration(new SparkConf());
            SweepSpec s = Sweep.readSpec(spec, conf);
            s = new SweepSpec(s.job(), s.name(), output != null ? output : s.output(), s.config(), s.fixed(), s.grid(),
                    s.random(), s.metric(), s.maximize(), parallel != null ? parallel : s.parallel(),
                    submit != null ? Arrays.asList(submit.trim().split("\\s+")) : s.submit(), s.master(),
                    s.pointMemory());
            Sweep sweep = new Sweep(s, conf, System.out);
            if (dryRun) {
                sweep.plan().forEach(p -> System.out.println(p.runId() + "  " + p.values()));
                return OK;
            }
            return sweep.run();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Provenance.versions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .toArray(String[]::new);
        }
    }
}
