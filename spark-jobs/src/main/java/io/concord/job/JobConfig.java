package io.concord.job;

import io.concord.config.SparkSection;

/** What every job config has: a seed and the Spark section. */
public interface JobConfig {

    Long seed();

    SparkSection spark();
}
