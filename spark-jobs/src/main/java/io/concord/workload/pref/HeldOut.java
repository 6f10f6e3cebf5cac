package io.concord.workload.pref;

import io.concord.data.pref.ArithmeticTask;

/**
 * The held-out split of preference data: by a hash of the prompt text, so every job (SFT on chosen completions,
 * alignment, evaluation) holds out the same prompts, and all pairs of one prompt fall on the same side.
 */
final class HeldOut {

    private HeldOut() {
    }

    static boolean isHeldOut(String prompt, double fraction) {
        return fraction > 0 && ArithmeticTask.isHeldOut(prompt, fraction);
    }
}
