package io.concord.engine.metrics;

import io.concord.engine.RoundSummary;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a run for people watching it and for logs nobody watches:
 * <ul>
 *   <li>a {@code progress:} line every {@code every} (fixed interval, terminal or not) with round/epoch,
 *       examples/s, loss, ETA and the last evaluation, or the set-up phase in progress and for how long;</li>
 *   <li>a start line and a "done in" line for each slow set-up phase ({@link #phase});</li>
 *   <li>on a terminal only, a progress bar over rounds on the console's last line (me.tongfei progressbar),
 *       erased before any other console output ({@link BarConsole}) and before console log lines
 *       ({@link BarAwareLogging}).</li>
 * </ul>
 */
public final class ProgressReporter implements AutoCloseable {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String task;
    private final PrintStream console;
    private final BarConsole barConsole;
    private final BarAwareLogging barLogging;
    private final ScheduledExecutorService ticker;

    private String phase;
    private long phaseStarted;
    private int totalRounds;
    private int roundsPerEpoch;
    private int nextRound;
    private int firstRound = -1;
    private int startingRound = -1;
    private long trainingStarted;
    private long examples;
    private double loss = Double.NaN;
    private int lastEvalRound = -1;
    private Map<String, Double> lastEval = Map.of();
    private ProgressBar bar;

    /**
     * @param console where progress lines go (the run's console)
     * @param bar     whether to draw a progress bar (a terminal is attached)
     * @param every   interval of the {@code progress:} lines; zero or negative = none
     */
    public ProgressReporter(String task, PrintStream console, boolean bar, Duration every) {
        this.task = task;
        this.barConsole = bar ? new BarConsole(console) : null;
        this.barLogging = bar ? BarAwareLogging.install(barConsole) : null;
        this.console = bar ? barConsole : console;
        if (every != null && !every.isZero() && !every.isNegative()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "concord-progress");
                t.setDaemon(true);
                return t;
            });
            long ms = every.toMillis();
            ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** The stream every console message of the run should go through (keeps messages and the bar apart). */
    public PrintStream console() {
        return console;
    }

    /** Starts a named set-up phase; prints its start now and its duration when closed. */
    public RunMetrics.Phase phase(String name) {
        long started = System.nanoTime();
        synchronized (this) {
            phase = name;
            phaseStarted = started;
        }
        console.println(name + " ...");
        return () -> {
            synchronized (this) {
                if (name.equals(phase)) {
                    phase = null;
                }
            }
            console.printf(Locale.ROOT, "%s: done in %s%n", name, duration(System.nanoTime() - started));
        };
    }

    /** Rounds per epoch of the running job, for the epoch in the progress line (0 = not epoch based). */
    public synchronized void roundsPerEpoch(int rounds) {
        this.roundsPerEpoch = rounds;
    }

    /** Training is about to run rounds {@code from} … {@code total − 1}. */
    public synchronized void trainingStarting(int from, int total) {
        startingRound = from;
        totalRounds = total;
    }

    synchronized void roundCompleted(RoundSummary summary, int total) {
        long now = System.nanoTime();
        if (firstRound < 0) {
            firstRound = summary.round();
            trainingStarted = now - (long) (summary.timingsMs().getOrDefault("round", 0.0) * 1e6);
        }
        totalRounds = total;
        nextRound = summary.round() + 1;
        examples += summary.examples();
        loss = summary.loss();
        if (!summary.metrics().isEmpty()) {
            lastEval = new LinkedHashMap<>(summary.metrics());
            lastEvalRound = summary.round();
        }
        if (barConsole != null) {
            updateBar(summary);
        }
    }

    private void updateBar(RoundSummary summary) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalRounds)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed(new DecimalFormat("0.0")).setUnit(" rounds", 1)
                    .setUpdateIntervalMillis(500).continuousUpdate()
                    .setConsumer(new DelegatingProgressBarConsumer(barConsole::drawBar, 120) {
                        @Override
                        public void close() {
                            barConsole.endBar();
                        }
                    })
                    .startsFrom(summary.round(), Duration.ZERO).build();
        }
        bar.maxHint(totalRounds);
        bar.stepTo(summary.round() + 1L);
        bar.setExtraMessage(" loss " + String.format(Locale.ROOT, "%.5g", summary.loss()));
    }

    /** Training is over: the bar (if any) is finished and left on its own line, once. */
    public void trainingFinished() {
        ProgressBar b;
        synchronized (this) {
            b = bar;
            bar = null;
        }
        if (b != null) {
            b.close();
        }
    }

    /** The periodic line, as printed now. */
    public synchronized String line() {
        StringBuilder sb = new StringBuilder("progress ").append(LocalTime.now().format(CLOCK)).append(": ");
        if (phase != null) {
            sb.append(phase).append(" for ").append(duration(System.nanoTime() - phaseStarted));
            if (firstRound < 0) {
                return sb.toString();
            }
            sb.append(" | ");
        }
        if (firstRound < 0) {
            return sb.append(startingRound < 0 ? "setting up (no round finished yet)"
                    : "round " + (startingRound + 1) + "/" + totalRounds + " in progress (the first of this run)")
                    .toString();
        }
        long elapsed = System.nanoTime() - trainingStarted;
        int done = nextRound - firstRound;
        sb.append(String.format(Locale.ROOT, "round %d/%d (%.1f%%)", nextRound, totalRounds,
                100.0 * nextRound / Math.max(1, totalRounds)));
        if (roundsPerEpoch > 0) {
            sb.append(String.format(Locale.ROOT, " epoch %d/%d", (nextRound + roundsPerEpoch - 1) / roundsPerEpoch,
                    (totalRounds + roundsPerEpoch - 1) / roundsPerEpoch));
        }
        sb.append(String.format(Locale.ROOT, " | %.0f examples/s | loss %.5g", examples / (elapsed / 1e9), loss));
        long remaining = (long) ((double) elapsed / done * (totalRounds - nextRound));
        sb.append(" | ETA ").append(nextRound >= totalRounds ? "0s" : duration(remaining));
        if (lastEvalRound >= 0) {
            sb.append(" | last eval (round ").append(lastEvalRound).append(')');
            lastEval.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s=%.5g", k, v)));
        }
        return sb.toString();
    }

    private void tick() {
        console.println(line());
    }

    static String duration(long nanos) {
        long s = Math.max(0, Math.round(nanos / 1e9));
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        trainingFinished();
        if (barLogging != null) {
            barLogging.close();
        }
    }
}
