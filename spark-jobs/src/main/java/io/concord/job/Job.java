package io.concord.job;

import org.apache.hadoop.conf.Configuration;

import java.util.Map;

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

    /**
     * Config keys this job does not read as given but derives at run time (key → how), e.g. {@code train.rounds}
     * from {@code epochs}. {@code validate} and {@code config.effective.yaml} show them under {@code derived:} in
     * place of the unused value; once training starts the section holds the numbers the run used.
     */
    default Map<String, String> derivedKeys(C config) {
        return Map.of();
    }

    JobResult run(C config, JobContext ctx) throws Exception;
}
