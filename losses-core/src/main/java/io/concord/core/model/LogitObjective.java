package io.concord.core.model;

import io.concord.core.param.ParamException;
import io.concord.core.loss.ExampleStateDelta;
import io.concord.core.loss.ExampleStateDeltas;
import io.concord.core.loss.ExampleStateLoss;
import io.concord.core.loss.Loss;
import io.concord.core.loss.Objective;
import io.concord.core.loss.RandomizedLoss;
import io.concord.core.stat.GlobalStatistic;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The loss of a classifier over its logits, whatever kind the loss is: a plain {@link Loss}, a
 * {@link RandomizedLoss} (EnsLoss: draws from the step's deterministic stream) or an {@link ExampleStateLoss}
 * (ALDR-KL: per-example state carried across rounds as a cumulative {@link ExampleStateDeltas} statistic).
 */
public interface LogitObjective extends Serializable {

    String name();

    /** Σ loss over the batch; overwrites {@code gradOut} ([n, k], like {@code logits}) with its gradient. */
    double valueAndGradient(INDArray logits, INDArray targets, List<LabeledVector> batch, INDArray gradOut,
                            StepContext ctx);

    /** Global statistics the objective needs the engine to carry (per-example state). */
    default List<GlobalStatistic<?>> statistics() {
        return List.of();
    }

    /** Adapts a loss built by {@code LossRegistry} for a classifier with {@code numClasses} outputs. */
    static LogitObjective of(Objective loss, int numClasses) {
        if (loss instanceof Loss l) {
            return new Plain(l);
        }
        if (loss instanceof RandomizedLoss r) {
            if (numClasses != 2) {
                throw new ParamException("loss.name", "" + r.name() + " is a binary loss; it needs 2 classes, "
                        + "the data has " + numClasses);
            }
            return new BinaryRandomized(r);
        }
        if (loss instanceof ExampleStateLoss e) {
            return new PerExampleState(e);
        }
        throw new ParamException("loss.name", "" + loss.getClass().getSimpleName()
                + " is not a classification loss over logits");
    }

    /** A stateless loss over the logit rows. */
    record Plain(Loss loss) implements LogitObjective {
        public Plain {
            Objects.requireNonNull(loss, "loss");
        }

        @Override
        public String name() {
            return loss.name();
        }

        @Override
        public double valueAndGradient(INDArray logits, INDArray targets, List<LabeledVector> batch, INDArray gradOut,
                                       StepContext ctx) {
            return loss.valueAndGradient(logits, targets, gradOut);
        }
    }

    /**
     * A binary randomized loss on the margin {@code z₁ − z₀} against 0/1 labels: the gradient {@code g} of the margin
     * becomes {@code (−g, +g)} on the two logits.
     */
    record BinaryRandomized(RandomizedLoss loss) implements LogitObjective {
        @Override
        public String name() {
            return loss.name();
        }

        @Override
        public double valueAndGradient(INDArray logits, INDArray targets, List<LabeledVector> batch, INDArray gradOut,
                                       StepContext ctx) {
            int n = (int) logits.rows();
            INDArray margin = logits.getColumn(1).sub(logits.getColumn(0)).reshape(n, 1);
            INDArray labels = targets.getColumn(1).dup().reshape(n, 1);
            INDArray g = Nd4j.zeros(margin.dataType(), n, 1);
            double value = loss.valueAndGradient(margin, labels, g, ctx.random());
            gradOut.putColumn(0, g.neg().reshape(n));
            gradOut.putColumn(1, g.reshape(n));
            return value;
        }
    }

    /**
     * A loss with per-example state: gathers each example's state as written up to the previous round (the
     * statistic's cumulative value; the loss's initial state for examples not seen yet), and records the new state
     * rows in this round's contribution. Examples need stable ids ({@link LabeledVector#id()}).
     */
    final class PerExampleState implements LogitObjective {
        private static final long serialVersionUID = 1L;

        private final ExampleStateLoss loss;
        private final ExampleStateDeltas statistic;

        PerExampleState(ExampleStateLoss loss) {
            this.loss = loss;
            this.statistic = ExampleStateDeltas.of(loss);
        }

        public ExampleStateDeltas statistic() {
            return statistic;
        }

        @Override
        public String name() {
            return loss.name();
        }

        @Override
        public List<GlobalStatistic<?>> statistics() {
            return List.of(statistic);
        }

        @Override
        public double valueAndGradient(INDArray logits, INDArray targets, List<LabeledVector> batch, INDArray gradOut,
                                       StepContext ctx) {
            int w = loss.stateWidth();
            long[] ids = new long[batch.size()];
            double[] state = new double[batch.size() * w];
            double[] initial = new double[w];
            loss.initialState(initial);
            ExampleStateDelta carried = ctx.global(statistic);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = batch.get(i).id();
                if (ids[i] < 0) {
                    throw new IllegalArgumentException("loss " + loss.name() + " keeps per-example state and needs "
                            + "example ids; this example has none: " + batch.get(i));
                }
                if (carried == null || !carried.lookup(ids[i], state, i * w)) {
                    System.arraycopy(initial, 0, state, i * w, w);
                }
            }
            INDArray in = logits.dataType() == DataType.DOUBLE ? logits : logits.castTo(DataType.DOUBLE);
            double value = loss.valueAndGradient(in, targets, state, state, gradOut);
            ctx.local(statistic).add(ids, ctx.step(), state);
            return value;
        }
    }
}
