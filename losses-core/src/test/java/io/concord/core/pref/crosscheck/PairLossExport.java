package io.concord.core.pref.crosscheck;

import io.concord.core.model.BatchLoss;
import io.concord.core.pref.LogProbBatch;
import io.concord.core.pref.PreferenceLosses;
import io.concord.core.pref.SequenceObjective;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Exports one batch of preference pairs with Concord's value and gradient for every pair loss, for an independent
 * PyTorch re-implementation of TRL's / the papers' formulas ({@code scripts/crosscheck/pair_losses_torch_check.py}).
 */
public final class PairLossExport {

    private PairLossExport() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/crosscheck/pair-losses.json");
        int p = 7;
        SplittableRandom r = new SplittableRandom(17);
        double[] lw = new double[p];
        double[] ll = new double[p];
        double[] rw = new double[p];
        double[] rl = new double[p];
        int[] nw = new int[p];
        int[] nl = new int[p];
        for (int i = 0; i < p; i++) {
            nw[i] = 3 + r.nextInt(20);
            nl[i] = 3 + r.nextInt(20);
            lw[i] = -nw[i] * (0.5 + 2 * r.nextDouble());
            ll[i] = -nl[i] * (0.5 + 2 * r.nextDouble());
            rw[i] = lw[i] + (r.nextDouble() - 0.5) * 6;
            rl[i] = ll[i] + (r.nextDouble() - 0.5) * 6;
        }
        Map<String, Map<String, Object>> losses = new LinkedHashMap<>();
        losses.put("dpo", Map.of("name", "dpo", "beta", 0.3, "label_smoothing", 0.1));
        losses.put("robust", Map.of("name", "robust", "beta", 0.3, "label_smoothing", 0.1));
        losses.put("ipo", Map.of("name", "ipo", "beta", 0.2));
        losses.put("hinge", Map.of("name", "hinge", "beta", 0.4));
        losses.put("sigmoid_norm", Map.of("name", "sigmoid_norm", "beta", 0.7));
        losses.put("rpo_handbook", Map.of("name", "rpo", "variant", "handbook", "beta", 0.5, "eta", 0.05));
        losses.put("rpo_openrlhf", Map.of("name", "rpo", "variant", "openrlhf", "beta", 0.5, "eta", 0.2));
        losses.put("simpo", Map.of("name", "simpo", "beta", 2.0, "gamma_beta_ratio", 0.25, "label_smoothing", 0.05,
                "sft_weight", 0.3));

        StringBuilder j = new StringBuilder("{\n");
        j.append("\"lp_chosen\": ").append(arr(lw)).append(",\n\"lp_rejected\": ").append(arr(ll))
                .append(",\n\"ref_chosen\": ").append(arr(rw)).append(",\n\"ref_rejected\": ").append(arr(rl))
                .append(",\n\"len_chosen\": ").append(arr(nw)).append(",\n\"len_rejected\": ").append(arr(nl))
                .append(",\n\"losses\": {\n");
        int n = 0;
        for (Map.Entry<String, Map<String, Object>> e : losses.entrySet()) {
            SequenceObjective loss = PreferenceLosses.create(e.getValue());
            LogProbBatch batch = loss.frozenModels() == 0 ? LogProbBatch.pairs(lw, ll, nw, nl)
                    : LogProbBatch.pairs(lw, ll, nw, nl, rw, rl);
            double[] grad = new double[batch.size()];
            BatchLoss value = loss.valueAndGradient(batch, grad);
            j.append(n++ == 0 ? "" : ",\n").append('"').append(e.getKey()).append("\": {\"params\": {");
            int k = 0;
            for (Map.Entry<String, Object> param : e.getValue().entrySet()) {
                j.append(k++ == 0 ? "" : ", ").append('"').append(param.getKey()).append("\": ");
                j.append(param.getValue() instanceof String s ? "\"" + s + "\"" : param.getValue().toString());
            }
            j.append("}, \"sum\": ").append(String.format(Locale.ROOT, "%.17g", value.lossSum()))
                    .append(", \"weight\": ").append(value.weight()).append(", \"grad\": ").append(arr(grad))
                    .append('}');
        }
        j.append("\n}\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, j.toString());
        System.out.println("wrote " + out + " (" + losses.size() + " losses over " + p + " pairs)");
    }

    private static String arr(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.17g", v[i]));
        }
        return sb.append(']').toString();
    }

    private static String arr(int[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }
}
