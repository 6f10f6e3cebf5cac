package io.concord.data.moe;

import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.LayerRouting;
import io.concord.core.moe.MoeConfig;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.RoutingTally;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Single-JVM benchmark (not a test): trains the same next-token MoE on {@link TokenDomains} data with micro,
 * global two-pass and global stale balancing under equal budgets (same seed, data order and steps), over simulated
 * partitions, and prints held-out task loss, per-layer LBL, imbalance, specialisation and the round time. The
 * Spark version is the lead's {@code scripts/bench-moe}; this one isolates the numerics.
 *
 * <p>Run: {@code java -cp <test classpath> io.concord.data.moe.MoeSimulatedBench steps=400 seed=1} (keys below).
 */
public final class MoeSimulatedBench {

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "400"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "8"));
        int perPartition = Integer.parseInt(a.getOrDefault("seqsPerPartition", "2"));
        int domains = Integer.parseInt(a.getOrDefault("domains", "8"));
        int experts = Integer.parseInt(a.getOrDefault("experts", "16"));
        int topK = Integer.parseInt(a.getOrDefault("topK", "2"));
        int layers = Integer.parseInt(a.getOrDefault("layers", "2"));
        double lbl = Double.parseDouble(a.getOrDefault("lbl", "0.008"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "0.005"));
        String modes = a.getOrDefault("modes", "micro,global,stale");

        int shared = 8;
        int vocab = shared + domains * 24;
        TokenDomains data = new TokenDomains(new TokenDomains.Config(domains, vocab, shared, 32, 3, 0.15, 0.5), seed);
        System.out.printf(Locale.ROOT, "data: %d domains, vocab %d, seq 32, skew 0.5; %d partitions x %d seqs/step, "
                        + "%d steps, lr %.4g, seed %d; model: %d layers, %d experts top-%d, lbl %.4g%n",
                domains, vocab, partitions, perPartition, steps, lr, seed, layers, experts, topK, lbl);
        // JIT warm-up on a throw-away run, so that the first timed mode is not charged for compilation.
        SimulatedMoeTraining.train(new MoeModel(MoeConfig.nextToken(vocab).modelDim(32).layers(layers)
                .experts(experts, topK).expertHidden(32).lblCoeff(lbl).balance(BalanceMode.GLOBAL_TWO_PASS)
                .domains(domains).build()), data, partitions, perPartition, Math.min(steps, 50), lr, seed + 1);
        double microMs = Double.NaN;
        for (String m : modes.split(",")) {
            BalanceMode mode = switch (m) {
                case "micro" -> BalanceMode.MICRO;
                case "global" -> BalanceMode.GLOBAL_TWO_PASS;
                case "stale" -> BalanceMode.GLOBAL_STALE;
                default -> throw new IllegalArgumentException("modes: micro, global, stale; got " + m);
            };
            MoeModel model = new MoeModel(MoeConfig.nextToken(vocab).modelDim(32).layers(layers).experts(experts, topK)
                    .expertHidden(32).lblCoeff(lbl).zLossCoeff(1e-3).balance(mode).domains(domains).build());
            SimulatedMoeTraining.Outcome out = SimulatedMoeTraining.train(model, data, partitions, perPartition, steps,
                    lr, seed);
            RoutingTally eval = SimulatedMoeTraining.evaluate(model, out.params(), data, 10_000_000L, 2000);
            double ms = out.roundNanos() / 1e6 / steps;
            if (mode == BalanceMode.MICRO) {
                microMs = ms;
            }
            System.out.printf(Locale.ROOT, "%-7s held-out loss %.4f acc %.4f | train loss first %.4f last %.4f | "
                            + "%.2f ms/round%s%n", m, eval.meanTaskLoss(), eval.accuracy(), out.firstTrainLoss(),
                    out.lastTrainLoss(), ms,
                    Double.isNaN(microMs) || mode == BalanceMode.MICRO ? ""
                            : String.format(Locale.ROOT, " (%+.1f%% vs micro)", 100 * (ms / microMs - 1)));
            for (LayerRouting r : eval.layers()) {
                System.out.printf(Locale.ROOT, "        layer %d: LBL %.4f  imbalance %.3f  MI %.4f nats (%.3f of H)"
                                + "  top-k score sum %.4f%n", r.layer(), r.lbl(), r.imbalance(), r.mutualInformation(),
                        r.normalizedMutualInformation(), r.meanTopKScoreSum());
            }
            if (a.containsKey("table")) {
                LayerRouting r = eval.layer(0);
                for (int d = 0; d < domains; d++) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "        d%d:", d));
                    for (double f : r.domainFrequency()[d]) {
                        row.append(String.format(Locale.ROOT, " %.2f", f));
                    }
                    System.out.println(row);
                }
            }
        }
    }
}
