package io.concord.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways Spark 3.5 reports a context stopped by a standalone master that refused the driver while the context
 * was starting (observed in SecureClusterIT's refused submission), told apart from other failures of the same types:
 * both become the "master stopped the application" error (exit 4) rather than a bare exception (exit 1).
 */
class StoppedWhileStartingTest {

    @Test
    void theStoppedContextAndTheClearedDagSchedulerAreRecognisedAndNothingElse() {
        assertThat(JobRunner.stoppedWhileStarting(new IllegalStateException(
                "Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at: ..."))).isTrue();
        assertThat(JobRunner.stoppedWhileStarting(new NullPointerException(
                "Cannot invoke \"org.apache.spark.scheduler.DAGScheduler.metricsSource()\" because the return value of "
                        + "\"org.apache.spark.SparkContext._dagScheduler()\" is null"))).isTrue();
        assertThat(JobRunner.stoppedWhileStarting(new NullPointerException(
                "Cannot invoke \"String.length()\" because \"name\" is null"))).isFalse();
        assertThat(JobRunner.stoppedWhileStarting(new NullPointerException())).isFalse();
        assertThat(JobRunner.stoppedWhileStarting(new IllegalStateException("spark.executor.memory is too small")))
                .isFalse();
    }
}
