package io.concord.run;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The output of one run on any Hadoop FileSystem, committed atomically. Everything is written under
 * {@code <output>/_staging/<run-id>/} (checkpoints too, so a failed run can {@code --resume}); on success
 * {@code _SUCCESS} is written last inside it and the directory is renamed to {@code <output>/<run-id>/}. A run
 * directory therefore either does not exist or is complete; a failed run leaves nothing under it. Re-submitting a
 * committed run id is a no-op unless overwriting (Airflow retries are safe).
 */
public final class RunDirectory {

    public static final String SUCCESS = "_SUCCESS";
    public static final String STAGING = "_staging";

    private final Path output;
    private final String runId;
    private final Configuration conf;

    public RunDirectory(Path output, String runId, Configuration conf) {
        if (runId == null || runId.isBlank() || !runId.matches("[A-Za-z0-9._=-]+") || runId.startsWith("_")
                || runId.startsWith(".")) {
            throw new io.concord.config.ConfigException("--run-id", runId,
                    "letters, digits, '.', '_', '=', '-' (not starting with '_' or '.')");
        }
        this.output = output;
        this.runId = runId;
        this.conf = conf;
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
     * Makes sure the output is writable (probe file) and prepares staging: kept as is when resuming, emptied
     * otherwise. Called before any heavy work so an unwritable output fails fast.
     */
    public void prepare(boolean resume) {
        FileSystem fs = fs();
        Path staging = stagingPath();
        try {
            if (fs.exists(output) && !fs.getFileStatus(output).isDirectory()) {
                throw new OutputException("output " + output + " exists and is not a directory");
            }
            if (!resume && fs.exists(staging)) {
                fs.delete(staging, true);
            }
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
            throw new OutputException("writing " + staged(relative) + " failed: " + e.getMessage(), e);
        }
    }

    public FSDataOutputStream create(String relative) {
        try {
            return fs().create(staged(relative), true);
        } catch (IOException e) {
            throw new OutputException("creating " + staged(relative) + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes {@code _SUCCESS} last and renames staging to the committed path (replacing an overwritten run). */
    public void commit() {
        FileSystem fs = fs();
        Path target = committedPath();
        try {
            writeString(SUCCESS, "");
            if (fs.exists(target)) {
                if (!fs.delete(target, true)) {
                    throw new OutputException("cannot remove the previous run at " + target);
                }
            }
            if (!fs.rename(stagingPath(), target)) {
                throw new OutputException("cannot rename " + stagingPath() + " to " + target);
            }
            Path stagingRoot = new Path(output, STAGING);
            FileStatusCheck.deleteIfEmpty(fs, stagingRoot);
        } catch (IOException e) {
            throw new OutputException("committing " + target + " failed: " + e.getMessage(), e);
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
