package io.concord.job;

import org.apache.hadoop.conf.Configuration;

/**
 * A Concord job: parses its typed config, builds records → shards → model/loss/optimizer, runs the engine,
 * evaluates, and writes its outputs into the run directory. The {@link JobRunner} does everything around it
 * (config, Spark, run directory, summary, commit).
 */
public interface Job<C extends JobConfig> {

    /** Name used on the command line ({@code concord train <name>}). */
    String name();

    String description();

    Class<C> configType();

    /** Classpath resource of the built-in default config, used when no {@code --config} is given. */
    default String defaultConfigResource() {
        return "/concord/jobs/" + name() + ".yaml";
    }

    /**
     * Checks that need more than the config's own types, e.g. building the named loss and optimizer; called right
     * after the config is bound, before anything runs.
     */
    default void validate(C config) {
    }

    /** Cheap checks before Spark starts (input paths exist, values that need the file system). */
    default void checkInputs(C config, Configuration hadoopConf) {
    }

    JobResult run(C config, JobContext ctx) throws Exception;
}
