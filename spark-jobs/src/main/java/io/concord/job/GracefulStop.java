package io.concord.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIGTERM / SIGINT during a run: the first signal asks training to stop after the round in progress (the round
 * listener then returns STOP, the engine writes a checkpoint, and the run ends with {@link StopRequested} instead of
 * committing); a second signal abandons the round and exits at once with the same code, leaving the last checkpoint.
 * Without this the JVM's default handler runs the shutdown hooks, which stop the SparkContext under the running round
 * ("Cannot call methods on a stopped SparkContext") and lose everything since the last checkpoint.
 *
 * <p>The handlers are installed for the duration of a run (after the Spark session exists, so they replace any
 * installed by Spark) and the previous handlers are restored on {@link #close()}.
 */
public final class GracefulStop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final String[] SIGNALS = {"TERM", "INT"};
    private static volatile GracefulStop current;

    private final PrintStream console;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile String requestedBy;

    private GracefulStop(PrintStream console) {
        this.console = console;
    }

    /** Installs the handlers; signals a platform does not offer are skipped. */
    public static GracefulStop install(PrintStream console) {
        GracefulStop stop = new GracefulStop(console);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, stop::handle));
            } catch (IllegalArgumentException e) {
                LOG.debug("signal {} cannot be handled here: {}", name, e.getMessage());
            }
        }
        current = stop;
        return stop;
    }

    /** Whether a stop was requested in the running process (false when no run is active). */
    public static boolean requested() {
        GracefulStop stop = current;
        return stop != null && stop.requestedBy != null;
    }

    /** The signal that asked to stop ({@code SIGTERM}, {@code SIGINT}), or null. */
    public static String requestedBy() {
        GracefulStop stop = current;
        return stop == null ? null : stop.requestedBy;
    }

    /** Asks the running training to stop as a signal would (embedding, tests). */
    public static void request(String reason) {
        GracefulStop stop = current;
        if (stop != null && stop.requestedBy == null) {
            stop.requestedBy = reason;
        }
    }

    /** The conventional exit status of a process ended by a signal: 128 + its number (SIGTERM 143, SIGINT 130). */
    public static int exitCode(String signal) {
        return "SIGINT".equals(signal) ? 130 : 143;
    }

    private void handle(Signal signal) {
        String name = "SIG" + signal.getName();
        if (requestedBy == null) {
            requestedBy = name;
            console.println("concord: " + name + " received: stopping after the current round and writing a"
                    + " checkpoint (send it again to abandon the round and exit at once)");
            console.flush();
        } else {
            console.println("concord: " + name + " received again: abandoning the round; the last checkpoint is"
                    + " kept for --resume");
            console.flush();
            Runtime.getRuntime().halt(exitCode(name));
        }
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("could not restore the handler of {}: {}", signal, e.getMessage());
            }
        });
        current = null;
    }

    /**
     * The run stopped at a signal's (or an embedder's) request after writing a checkpoint; nothing was committed and
     * staging can be resumed with {@code --resume}.
     */
    public static final class StopRequested extends RuntimeException {

        private final String signal;
        private final int completedRounds;

        /** @param checkpoint the checkpoint to resume from, or null when the stop came before training */
        public StopRequested(String signal, int completedRounds, String checkpoint) {
            super(checkpoint == null
                    ? "stopped by " + signal + " before training started; nothing to resume, run it again"
                    : "stopped by " + signal + " after " + completedRounds + " rounds; checkpoint " + checkpoint
                    + " kept; continue with --resume");
            this.signal = signal;
            this.completedRounds = completedRounds;
        }

        public String signal() {
            return signal;
        }

        public int completedRounds() {
            return completedRounds;
        }

        public int exitCode() {
            return GracefulStop.exitCode(signal);
        }
    }
}
