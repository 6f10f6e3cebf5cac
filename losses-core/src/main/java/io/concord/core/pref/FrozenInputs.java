package io.concord.core.pref;

/** Input checks shared by the objectives. */
final class FrozenInputs {

    private FrozenInputs() {
    }

    static void frozen(SequenceObjective objective, LogProbBatch batch) {
        if (batch.frozenModels() < objective.frozenModels()) {
            throw new IllegalArgumentException("loss '" + objective.name() + "' needs log-probabilities of "
                    + objective.frozenModels() + " frozen model(s), the batch has " + batch.frozenModels());
        }
    }
}
