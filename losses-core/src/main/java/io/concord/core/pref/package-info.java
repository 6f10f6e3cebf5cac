/**
 * Preference-pair training inside one executor (formulas in
 * {@code shared/docs/reference/preference-and-moe.md} §B–D).
 *
 * <ul>
 *   <li>Losses over per-sequence log-probabilities ({@link io.concord.core.pref.LogProbBatch} →
 *       {@link io.concord.core.pref.SequenceObjective}): SFT, DPO (+cDPO smoothing), robust, IPO, hinge, sigmoid_norm,
 *       RPO (two variants), SimPO, NPO / gradient ascent with retain CE or KL, AFT (L_A, detached, boundary, ranking),
 *       INPO; created by name with {@link io.concord.core.pref.PreferenceLosses}.</li>
 *   <li>{@link io.concord.core.lm.GruLanguageModel}: a GRU causal LM with exact backward of any per-sequence weight
 *       ∂L/∂lp and of token-level KL terms; greedy and temperature sampling.</li>
 *   <li>{@link io.concord.core.pref.PreferenceModel}: LM + objective + frozen parameter vectors (reference, previous
 *       iterate) as a Concord {@link io.concord.core.model.Model} over {@link io.concord.core.pref.SequenceGroup}
 *       records ({@link io.concord.core.lm.PromptCompletion}, {@link io.concord.core.pref.PreferencePair},
 *       {@link io.concord.core.pref.RankedResponses}, {@link io.concord.core.pref.UnlearningExample}).</li>
 *   <li>Diagnostics: {@link io.concord.core.pref.GradientEntanglement} (+ summary), {@link io.concord.core.pref.PairRewards};
 *       {@link io.concord.core.pref.ModelSoup} for SALSA references; {@link io.concord.core.lm.CharVocabulary}.</li>
 * </ul>
 */
package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.lm.GruLanguageModel;