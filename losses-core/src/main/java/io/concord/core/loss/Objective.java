package io.concord.core.loss;

import java.io.Serializable;

/**
 * What every loss in the catalog is, whatever its inputs: {@link Loss} (output and target rows), {@link
 * ExampleStateLoss}, {@link RandomizedLoss}, {@link MetricLoss}, {@link ConRLoss}, {@link NormalizedSoftmaxLoss}, and
 * the preference and sequence objectives of {@code core.pref}. {@link LossRegistry} creates them all by name; a job
 * asks for the kind it can train ({@link LossRegistry#create(String, java.util.Map, Class)}).
 */
public interface Objective extends Serializable {

    /** The catalog name ({@code cross-entropy}, {@code dpo}, …). */
    String name();
}
