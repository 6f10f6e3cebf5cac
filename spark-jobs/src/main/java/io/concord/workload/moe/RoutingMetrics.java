package io.concord.workload.moe;

import io.concord.core.moe.LayerRouting;
import io.concord.core.moe.RoutingTally;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named metrics of a {@link RoutingTally} (Qiu et al. §4.2/§5). Per MoE layer l: {@code layer<l>.lbl}
 * ({@code N_E·Σ_i f_i·P_i} without the coefficient, 1 at perfect balance), {@code layer<l>.imbalance}
 * ({@code max_i f_i·N_E}), {@code layer<l>.topKScoreSum} (mean sum of the K selected routing probabilities),
 * {@code layer<l>.specialization} (mutual information between domain and selected expert, nats) and
 * {@code layer<l>.specializationNormalized} (MI / H(domain)); the same five averaged over layers without the prefix;
 * and the task loss (cross-entropy per routed token, no auxiliary terms) and accuracy.
 */
final class RoutingMetrics {

    private RoutingMetrics() {
    }

    /** Per-round training metrics: task loss, accuracy, LBL and imbalance (mean over layers and per layer). */
    static Map<String, Double> training(RoutingTally tally) {
        Map<String, Double> out = new LinkedHashMap<>();
        of(tally, "train.").forEach((k, v) -> {
            if (!k.contains("specialization") && !k.endsWith("topKScoreSum")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static Map<String, Double> of(RoutingTally tally, String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "taskLoss", tally.meanTaskLoss());
        out.put(prefix + "accuracy", tally.accuracy());
        LayerRouting[] layers = tally.layers();
        double[] mean = new double[5];
        Map<String, Double> perLayer = new LinkedHashMap<>();
        for (LayerRouting r : layers) {
            double[] v = {r.lbl(), r.imbalance(), r.meanTopKScoreSum(), r.mutualInformation(),
                    r.normalizedMutualInformation()};
            String[] names = {"lbl", "imbalance", "topKScoreSum", "specialization", "specializationNormalized"};
            for (int k = 0; k < v.length; k++) {
                perLayer.put(prefix + "layer" + r.layer() + "." + names[k], v[k]);
                mean[k] += v[k] / layers.length;
            }
        }
        out.put(prefix + "lbl", mean[0]);
        out.put(prefix + "imbalance", mean[1]);
        out.put(prefix + "topKScoreSum", mean[2]);
        out.put(prefix + "specialization", mean[3]);
        out.put(prefix + "specializationNormalized", mean[4]);
        out.putAll(perLayer);
        return out;
    }
}
