package io.concord.run;

import io.concord.config.ConfigException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The output of one run on any Hadoop FileSystem, committed atomically. Everything is written under
 * {@code <output>/_staging/<run-id>/} (checkpoints too, so a failed run can {@code --resume}); on success
 * {@code _SUCCESS} is written last inside it and the directory is renamed to {@code <output>/<run-id>/}. A run
 * directory therefore either does not exist or is complete; a failed run leaves nothing under it (its staging keeps
 * the checkpoints for {@code --resume} and a {@code _FAILED} file with the reason). One submission at a time holds
 * the run's {@link RunLock}; a staging directory left by an earlier submission is only reused with
 * {@code --resume} or discarded with {@code --overwrite}. Re-submitting a committed run id is a no-op unless
 * overwriting (Airflow retries are safe).
 */
public final class RunDirectory {

    public static final String SUCCESS = "_SUCCESS";
    public static final String STAGING = "_staging";
    public static final String FAILED = "_FAILED";
    /** Longest run id: leaves room for suffixes within the 255-byte name limit of HDFS and local file systems. */
    public static final int MAX_RUN_ID_LENGTH = 200;

    private final Path output;
    private final String runId;
    private final Configuration conf;
    private RunLock lock;
    private String checkpointConfigHash;
    private Objective objective;

    public RunDirectory(Path output, String runId, Configuration conf) {
        if (runId != null && runId.length() > MAX_RUN_ID_LENGTH) {
            throw new ConfigException("--run-id", "is " + runId.length() + " characters long; at most "
                    + MAX_RUN_ID_LENGTH + " are allowed");
        }
        if (runId == null || runId.isBlank() || !runId.matches("[A-Za-z0-9._=-]+") || runId.startsWith("_")
                || runId.startsWith(".")) {
            throw new ConfigException("--run-id", runId,
                    "letters, digits, '.', '_', '=', '-' (not starting with '_' or '.')");
        }
        this.output = output;
        this.runId = runId;
        this.conf = conf;
    }

    /** The run directory of {@code runId} under the output root {@code output} (any Hadoop URI or path). */
    public static RunDirectory of(String output, String runId, Configuration conf) {
        return new RunDirectory(new Path(output), runId, conf);
    }

    public String runId() {
        return runId;
    }

    /** Where the committed run lives: {@code <output>/<run-id>}. */
    public Path committedPath() {
        return new Path(output, runId);
    }

    /** Where the run is written until commit: {@code <output>/_staging/<run-id>}. */
    public Path stagingPath() {
        return new Path(new Path(output, STAGING), runId);
    }

    public Path staged(String relative) {
        return new Path(stagingPath(), relative);
    }

    public Path checkpointPath() {
        return staged("checkpoints");
    }

    public Path lockPath() {
        return new Path(new Path(output, STAGING), runId + ".lock");
    }

    /** The hash a checkpoint of this run must carry to be resumed from (null: not checked). */
    public String checkpointConfigHash() {
        return checkpointConfigHash;
    }

    public void setCheckpointConfigHash(String hash) {
        this.checkpointConfigHash = hash;
    }

    /** The metric that decides the best round and whether to maximize or minimize it (null: none declared). */
    public Objective objective() {
        return objective;
    }

    public void setObjective(String metric, String direction) {
        this.objective = new Objective(metric, direction);
    }

    /** A run's objective for sweep and AutoML tools: a metric name and {@code maximize} or {@code minimize}. */
    public record Objective(String metric, String direction) {
    }

    /** Takes the run's exclusive lock (exit 4 naming the holder when another live submission has it). */
    public RunLock lock(Duration staleAfter) {
        try {
            if (fs().exists(output) && !fs().getFileStatus(output).isDirectory()) {
                throw new OutputException("output " + output + " exists and is not a directory");
            }
        } catch (IOException e) {
            throw new OutputException("checking output " + output + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            lock = RunLock.acquire(fs(), lockPath(), runId, staleAfter);
        }
        return lock;
    }

    /** The lock taken by {@link #lock}. */
    public RunLock lockHeld() {
        if (lock == null) {
            throw new IllegalStateException("the run lock is not held");
        }
        return lock;
    }

    /** Releases the lock (if held) and removes {@code _staging/} when nothing else is left in it. */
    public void release() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        try {
            FileStatusCheck.deleteIfEmpty(fs(), new Path(output, STAGING));
        } catch (IOException e) {
            // cosmetic: an empty _staging/ is harmless
        }
    }

    /** Marks the staging directory as failed with {@code reason} (best effort: the disk may be full). */
    public void markFailed(String reason) {
        try {
            if (fs().exists(stagingPath())) {
                try (FSDataOutputStream out = fs().create(staged(FAILED), true)) {
                    out.write((reason + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException | RuntimeException | FSError e) {
            // the original failure is what the user needs to see
        }
    }

    public FileSystem fs() {
        try {
            return output.getFileSystem(conf);
        } catch (IOException e) {
            throw new OutputException("cannot open the file system of " + output + ": " + e.getMessage(), e);
        }
    }

    public boolean isCommitted() {
        try {
            return fs().exists(new Path(committedPath(), SUCCESS));
        } catch (IOException e) {
            throw new OutputException("cannot check " + committedPath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure the output is writable (probe file) and prepares staging: kept as is when resuming, emptied when
     * overwriting; a staging directory left by an earlier submission is refused otherwise. Called with the lock held,
     * before any heavy work, so an unwritable output fails fast.
     */
    public void prepare(boolean resume, boolean overwrite) {
        FileSystem fs = fs();
        Path staging = stagingPath();
        try {
            if (fs.exists(output) && !fs.getFileStatus(output).isDirectory()) {
                throw new OutputException("output " + output + " exists and is not a directory");
            }
            if (!resume && fs.exists(staging)) {
                if (!overwrite) {
                    throw new ConfigException("--run-id", "run " + runId + " has an unfinished staging directory "
                            + staging + " from an earlier submission that crashed or failed"
                            + (fs.exists(new Path(staging, FAILED)) ? " (see its " + FAILED + ")" : "")
                            + "; use --resume to continue from its newest checkpoint, or --overwrite to discard it");
                }
                fs.delete(staging, true);
            }
            fs.delete(new Path(staging, FAILED), false);
            if (!fs.mkdirs(staging)) {
                throw new OutputException("cannot create " + staging);
            }
            Path probe = new Path(staging, "_write-probe");
            try (FSDataOutputStream out = fs.create(probe, true)) {
                out.write(1);
            }
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new OutputException("output directory " + output + " is not writable: " + e.getMessage(), e);
        }
    }

    public void writeString(String relative, String content) {
        try (FSDataOutputStream out = fs().create(staged(relative), true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutputException("writing " + staged(relative) + ": " + e.getMessage(), e);
        } catch (FSError e) {
            throw new OutputException("writing " + staged(relative) + ": " + e.getCause().getMessage(), e);
        }
    }

    public FSDataOutputStream create(String relative) {
        try {
            return fs().create(staged(relative), true);
        } catch (IOException e) {
            throw new OutputException("creating " + staged(relative) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that this submission still holds the run lock, writes {@code _SUCCESS} last and renames staging to the
     * committed path; an existing committed run is only replaced when {@code replace} is set.
     */
    public void commit(boolean replace) {
        FileSystem fs = fs();
        Path target = committedPath();
        if (lock != null) {
            lock.verify();
        }
        try {
            if (fs.exists(target) && !replace) {
                throw new OutputException("run " + target + " was committed by another submission meanwhile; "
                        + "nothing committed (use --overwrite to replace it)");
            }
            writeString(SUCCESS, "");
            if (fs.exists(target)) {
                if (!fs.delete(target, true)) {
                    throw new OutputException("cannot remove the previous run at " + target);
                }
            }
            if (!fs.rename(stagingPath(), target)) {
                throw new OutputException("cannot rename " + stagingPath() + " to " + target);
            }
        } catch (IOException e) {
            throw new OutputException("committing " + target + ": " + e.getMessage(), e);
        }
    }

    /** Thrown when the output cannot be written. */
    public static final class OutputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OutputException(String message) {
            super(message);
        }

        public OutputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class FileStatusCheck {
        static void deleteIfEmpty(FileSystem fs, Path dir) throws IOException {
            if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
                fs.delete(dir, false);
            }
        }
    }

}
