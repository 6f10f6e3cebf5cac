package io.concord.cli;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Spark listener (spark.extraListeners) that records every job's description, as the Spark UI shows it. */
public final class JobDescriptionRecorder extends SparkListener {

    static final List<String> DESCRIPTIONS = new CopyOnWriteArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        String d = jobStart.properties() == null ? null : jobStart.properties().getProperty("spark.job.description");
        DESCRIPTIONS.add(String.valueOf(d));
    }
}
