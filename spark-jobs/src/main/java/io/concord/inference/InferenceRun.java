package io.concord.inference;

import io.concord.config.ConfigException;
import io.concord.job.ConcordSpark;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import io.concord.run.RunLock;

import java.io.IOException;
import java.time.Duration;
import java.io.PrintStream;
import java.util.Map;

/**
 * What the batch inference commands share with {@code train}: the output is a directory committed atomically
 * through {@link RunDirectory} ({@code --output <dir>} is staged as {@code <parent>/_staging/<name>} and renamed
 * when complete, so it either does not exist or is complete), re-running onto a committed output is a no-op unless
 * {@code --overwrite}, and the same Spark settings (embedded {@code local[*]} unless {@code --master} or
 * spark-submit says otherwise).
 */
final class InferenceRun {

    private InferenceRun() {
    }

    /** The committed-output directory of {@code output} (its last path component is the run id). */
    static RunDirectory outputDirectory(String output, Configuration conf) {
        Path path = new Path(output);
        Path parent = path.getParent() == null ? new Path(".") : path.getParent();
        return new RunDirectory(parent, path.getName(), conf);
    }

    /**
     * True (and a message) when {@code dir} is committed and not to be overwritten. An existing path that is not a
     * committed output (someone's data) is never replaced without {@code --overwrite}.
     */
    static boolean alreadyCommitted(RunDirectory dir, boolean overwrite, PrintStream out) {
        if (dir.isCommitted() && !overwrite) {
            out.println(dir.committedPath() + " is already committed; nothing to do (use --overwrite to replace it)");
            return true;
        }
        try {
            if (!overwrite && dir.fs().exists(dir.committedPath())) {
                throw new ConfigException("--output", dir.committedPath().toString(), "a new path or a committed "
                        + "output (it exists without " + RunDirectory.SUCCESS + "; remove it or use --overwrite)");
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("cannot check " + dir.committedPath() + ": " + e.getMessage(), e);
        }
        return false;
    }

    /** Takes the output's run lock and prepares its staging, as {@code train} does. */
    static void begin(RunDirectory dir, boolean overwrite) {
        dir.lock(Duration.ofSeconds(RunLock.DEFAULT_STALE_SECONDS));
        dir.prepare(false, true);
    }

    /** Releases the run lock of a failed command (a no-op after {@link #commit}); {@code dir} may be null. */
    static void release(RunDirectory dir) {
        if (dir != null) {
            dir.release();
        }
    }

    /** Commits the staged output (replacing a committed one only with {@code --overwrite}) and releases the lock. */
    static void commit(RunDirectory dir, boolean overwrite) {
        try {
            dir.commit(overwrite);
        } finally {
            dir.release();
        }
    }

    /**
     * Concord's Spark settings, except that Kryo registration is not required: the commands read users' tables
     * through Spark SQL, whose schema inference ships Spark's own schema classes (StructType, ArrayType, …) between
     * tasks and the driver.
     */
    static SparkSession spark(String command, String master) {
        SparkConf conf = ConcordSpark.conf(null, "concord-" + command,
                Map.of("spark.kryo.registrationRequired", "false"));
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return ConcordSpark.session(conf);
    }
}
