package io.concord.workload.logreg;

import io.concord.core.loss.ExampleStateDelta;
import io.concord.core.model.LabeledVector;
import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/** Labelled vectors and the per-example loss state of stateful losses (ALDR-KL). */
public final class LogRegKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(LabeledVector.class.getName(), LabeledVector[].class.getName(),
                ExampleStateDelta.class.getName());
    }
}
