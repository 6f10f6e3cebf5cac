package io.concord.engine.metrics;

import io.concord.engine.RoundSummary;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/** Console progress bar over rounds with ETA and the current loss (me.tongfei progressbar). */
public final class ProgressReporter implements AutoCloseable {

    private final String task;
    private ProgressBar bar;

    public ProgressReporter(String task) {
        this.task = task;
    }

    void roundCompleted(RoundSummary summary, int totalRounds) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalRounds)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
            bar.stepTo(summary.round());
        }
        bar.stepTo(summary.round() + 1L);
        StringBuilder extra = new StringBuilder(String.format(Locale.ROOT, "loss=%.5g", summary.loss()));
        summary.metrics().forEach((k, v) -> extra.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
        bar.setExtraMessage(extra.toString());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
