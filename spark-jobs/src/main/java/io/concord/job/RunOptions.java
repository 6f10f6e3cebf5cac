package io.concord.job;

import java.time.Duration;
import java.util.List;

/**
 * Command-line options of {@code concord train}.
 *
 * @param configPath YAML config (local path or any Hadoop URI); null = the job's built-in default
 * @param output     output root; run directories go under it
 * @param runId      run id (default: {@code <job>-<yyyyMMdd-HHmmss>})
 * @param master     Spark master override for embedded runs
 * @param overrides  {@code key=value} overrides
 * @param resume     continue from the newest checkpoint of this run id
 * @param overwrite  replace a committed run with this id
 * @param progress   show a console progress bar
 * @param progressEvery interval of the {@code progress:} lines (zero = none)
 */
public record RunOptions(String configPath, String output, String runId, String master, List<String> overrides,
                         boolean resume, boolean overwrite, boolean progress, Duration progressEvery) {

    public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(30);

    public RunOptions(String configPath, String output, String runId, String master, List<String> overrides,
                      boolean resume, boolean overwrite, boolean progress) {
        this(configPath, output, runId, master, overrides, resume, overwrite, progress, DEFAULT_PROGRESS_EVERY);
    }
}
