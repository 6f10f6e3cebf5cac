package io.concord.engine.metrics;

import io.concord.engine.RoundSummary;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line's content, set-up phases, the periodic ticker, and the bar-aware console's exact output. */
class ProgressReporterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static RoundSummary round(int round, double loss, Map<String, Double> metrics) {
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("round", 20.0);
        RoundSummary summary = new RoundSummary(round, loss, 100, Map.of(), timings);
        summary.metrics().putAll(metrics);
        return summary;
    }

    @Test
    void theLineSaysPhaseRoundEpochRateLossEtaAndTheLastEvaluation() {
        try (ProgressReporter progress = new ProgressReporter("job", stream, false, Duration.ZERO)) {
            assertThat(progress.console()).isSameAs(stream);
            assertThat(progress.line()).matches("progress \\d\\d:\\d\\d:\\d\\d: setting up \\(no round finished yet\\)");
            RunMetrics.Phase reading = progress.phase("reading the graph");
            assertThat(printed()).isEqualTo("reading the graph ...\n");
            assertThat(progress.line()).matches("progress [0-9:]+: reading the graph for [0-9.]+s");
            reading.close();
            assertThat(printed()).matches("(?s)reading the graph \\.\\.\\.\nreading the graph: done in [0-9.]+s\n");

            progress.trainingStarting(0, 10);
            assertThat(progress.line()).endsWith(": round 1/10 in progress (the first of this run)");
            progress.roundsPerEpoch(5);
            progress.roundCompleted(round(0, 2.5, Map.of()), 10);
            assertThat(progress.line()).matches("progress [0-9:]+: round 1/10 \\(10\\.0%\\) epoch 1/2 \\| \\d+ "
                    + "examples/s \\| loss 2\\.5000 \\| ETA \\S+");
            progress.roundCompleted(round(1, 1.25, Map.of("accuracy", 0.75)), 10);
            progress.roundCompleted(round(5, 0.5, Map.of()), 10);
            assertThat(progress.line()).contains("round 6/10 (60.0%) epoch 2/2").contains("loss 0.50000")
                    .endsWith(" | last eval (round 1) accuracy=0.75000");
            progress.roundCompleted(round(9, 0.25, Map.of()), 10);
            assertThat(progress.line()).contains("round 10/10 (100.0%)").contains("| ETA 0s |");
        }
    }

    @Test
    void theTickerPrintsTheLineWithoutAnyRoundFinishing() throws InterruptedException {
        try (ProgressReporter progress = new ProgressReporter("job", stream, false, Duration.ofMillis(20))) {
            RunMetrics.Phase phase = progress.phase("building tables");
            for (int i = 0; i < 500 && !printed().contains("progress "); i++) {
                Thread.sleep(10);
            }
            phase.close();
        }
        assertThat(printed()).containsPattern("progress [0-9:]+: building tables for [0-9.]+s\n");
    }

    @Test
    void durationsAreShort() {
        assertThat(ProgressReporter.duration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(ProgressReporter.duration(65_000_000_000L)).isEqualTo("1m05s");
        assertThat(ProgressReporter.duration(3_723_000_000_000L)).isEqualTo("1h02m03s");
    }

    @Test
    void messagesEraseTheBarInsteadOfRunningIntoIt() {
        BarConsole console = new BarConsole(stream);
        console.drawBar("[===   ] 3/6");
        console.drawBar("[====  ] 4/6");
        console.println("epoch 1: loss 2");
        console.drawBar("[===== ] 5");
        console.drawBar("[======] 6/6");
        console.endBar();
        console.endBar();
        console.println("committed");
        assertThat(printed()).isEqualTo("\r[===   ] 3/6" + "\r[====  ] 4/6" + "\r            \r"
                + "epoch 1: loss 2" + System.lineSeparator() + "\r[===== ] 5" + "\r[======] 6/6" + "\n"
                + "committed" + System.lineSeparator());
    }

    @Test
    void consoleLogLinesEraseTheBarWhileItIsShownAndTheAppendersComeBackAfter() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Set<String> before = Set.copyOf(context.getConfiguration().getRootLogger().getAppenders().keySet());
        assertThat(before).isNotEmpty();
        try (ProgressReporter progress = new ProgressReporter("job", stream, true, Duration.ZERO)) {
            assertThat(context.getConfiguration().getRootLogger().getAppenders().keySet())
                    .allMatch(name -> name.startsWith("concord-bar-aware-"));
            ((BarConsole) progress.console()).drawBar("[==    ] 2/6");
            LoggerFactory.getLogger(ProgressReporterTest.class).warn("a log line while the bar is shown");
            assertThat(printed()).isEqualTo("\r[==    ] 2/6\r            \r");
        }
        assertThat(context.getConfiguration().getRootLogger().getAppenders().keySet()).isEqualTo(before);
    }

    @Test
    void aShorterBarOverwritesTheLongerOneCompletely() {
        BarConsole console = new BarConsole(stream);
        console.drawBar("abcdef");
        console.drawBar("xy");
        assertThat(printed()).isEqualTo("\rabcdef\rxy    ");
    }
}
