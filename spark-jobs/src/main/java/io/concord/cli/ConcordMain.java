package io.concord.cli;

import io.concord.core.param.ParamException;
import io.concord.config.ConfigLoader;
import io.concord.data.DataException;
import io.concord.inference.EvaluateCommand;
import io.concord.inference.PredictCommand;
import io.concord.inference.RecommendCommand;
import io.concord.job.Job;

import io.concord.job.JobRunner;
import io.concord.job.Provenance;
import io.concord.job.RunOptions;
import io.concord.run.RunDirectory;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code concord} command line. The same main class runs embedded (local Spark) and under {@code spark-submit}.
 *
 * <p>Exit codes: 0 committed (or already committed); 1 training failed; 2 bad usage or config; 3 bad input data;
 * 4 I/O failure (output not writable, disk full, lost connection, run locked by another submission).
 */
@Command(name = "concord", mixinStandardHelpOptions = true, versionProvider = ConcordMain.Version.class,
        description = "Distributed training of constraint-loss workloads on Apache Spark.",
        subcommands = {ConcordMain.Train.class, ConcordMain.Validate.class, ConcordMain.Jobs.class,
                RecommendCommand.class, PredictCommand.class, EvaluateCommand.class})
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

        @Override
        public Integer call() {
            boolean progress = !noProgress && System.console() != null;
            try {
                new JobRunner(System.out).run(JobRegistry.get(job), new RunOptions(config, output, runId, master, sets,
                        resume, overwrite, progress));
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
            Job<?> j = JobRegistry.get(job);
            Object bound = JobRunner.loadConfig(j, config, sets,
                    SparkHadoopUtil.get().newConfiguration(new SparkConf()));
            System.out.print(ConfigLoader.toYaml(Redaction.redact(ConfigLoader.toTree(bound))));
            System.out.println("# config is valid for job " + job);
            return OK;
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Provenance.versions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .toArray(String[]::new);
        }
    }
}
