package io.concord.job;

import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reduce-on-plateau for a {@link MultiStepLr} whose phases are undecided: after an evaluation by the wrapped
 * listener, when the metric has not set a new best for {@code patience} evaluations, the next (lower) learning rate
 * starts with the next optimizer step — but only once the best value has passed {@code floor} (a model still at
 * the level of a trivial ranking has not started to learn, and a lower rate there only makes the plateau longer).
 * In the last phase the same count with {@code finalPatience} stops the run (also only above the floor). Its
 * decisions live in the training
 * state's bookkeeping, so a resumed run replays them and continues bit-identically.
 */
public final class LrOnPlateau implements RoundListener {

    private static final Logger LOG = LoggerFactory.getLogger(LrOnPlateau.class);
    private static final String BEST = "lrPlateau.best";
    private static final String SINCE_BEST = "lrPlateau.evaluationsSinceBest";
    private static final String PHASE = "lrPlateau.phase";
    private static final String DECAY_STEP = "lrPlateau.phaseStartStep.";

    private final RoundListener delegate;
    private final MultiStepLr schedule;
    private final double[] lrs;
    private final String metric;
    private final int patience;
    private final int finalPatience;
    private final double floor;
    private final long stepsPerRound;
    private final PrintStream console;

    /**
     * @param delegate      the listener that evaluates and puts {@code metric} into the round's metrics
     * @param lrs           the learning rate of each phase of {@code schedule} (for the log)
     * @param metric        a metric to maximise
     * @param floor         no decay before the best value exceeds this
     * @param stepsPerRound optimizer steps per engine round (the schedule counts steps)
     */
    public LrOnPlateau(RoundListener delegate, MultiStepLr schedule, double[] lrs, String metric, int patience,
                       int finalPatience, double floor, long stepsPerRound, PrintStream console) {
        if (lrs.length != schedule.phases() || patience < 1 || finalPatience < 1) {
            throw new IllegalArgumentException("one rate per phase and patiences >= 1 needed");
        }
        this.delegate = delegate;
        this.schedule = schedule;
        this.lrs = lrs.clone();
        this.metric = metric;
        this.patience = patience;
        this.finalPatience = finalPatience;
        this.floor = floor;
        this.stepsPerRound = stepsPerRound;
        this.console = console;
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        Decision decision = delegate.afterRound(state, summary);
        Double value = summary.metrics().get(metric);
        if (value == null) {
            return decision;
        }
        Map<String, Double> book = state.bookkeeping();
        Double best = book.get(BEST);
        if (best == null || value > best) {
            book.put(BEST, value);
            book.put(SINCE_BEST, 0.0);
            return decision;
        }
        double since = book.merge(SINCE_BEST, 1.0, Double::sum);
        int phase = book.getOrDefault(PHASE, 0.0).intValue();
        boolean last = phase + 1 >= schedule.phases();
        if (last) {
            if (since >= finalPatience && book.get(BEST) > floor) {
                LOG.info("early stop: {} has not improved for {} evaluations at the last learning rate {}", metric,
                        finalPatience, lrs[phase]);
                console.printf(Locale.ROOT, "early stop: %s has not improved for %d evaluations at lr %.3g%n",
                        metric, finalPatience, lrs[phase]);
                return Decision.STOP;
            }
            return decision;
        }
        if (since >= patience && book.get(BEST) > floor) {
            long step = (summary.round() + 1L) * stepsPerRound;
            schedule.startPhaseAfter(phase + 1, step);
            book.put(PHASE, (double) (phase + 1));
            book.put(DECAY_STEP + (phase + 1), (double) step);
            book.put(SINCE_BEST, 0.0);
            console.printf(Locale.ROOT, "lr %.3g -> %.3g after round %d (%s has not improved for %d evaluations;"
                    + " best %.5f)%n", lrs[phase], lrs[phase + 1], summary.round(), metric, patience, book.get(BEST));
        }
        return decision;
    }

    @Override
    public boolean needsStateAfter(int completedRounds) {
        return delegate.needsStateAfter(completedRounds);
    }

    @Override
    public void resumed(TrainingState state, List<RoundSummary> history) {
        delegate.resumed(state, history);
        Map<String, Double> book = state.bookkeeping();
        int phase = book.getOrDefault(PHASE, 0.0).intValue();
        for (int k = schedule.phasesStarted(); k <= phase; k++) {
            schedule.startPhaseAfter(k, book.get(DECAY_STEP + k).longValue());
        }
    }

    /** The phase in force after a run's state (0 = the first learning rate). */
    public static int phase(TrainingState state) {
        return state.bookkeeping().getOrDefault(PHASE, 0.0).intValue();
    }
}
