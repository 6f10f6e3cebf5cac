package io.concord.core.ultragcn.crosscheck;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.DegreeWeights;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.ultragcn.ItemNeighbourBuilder;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NegativeSampler;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.core.ultragcn.UltraGcnObjective;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Exports one UltraGCN batch for an independent PyTorch re-implementation of the official objective
 * ({@code scripts/crosscheck/ultragcn_torch_check.py}): the raw train graph, parameters, the batch, the negatives the
 * model draws (replayed from the same step stream), and the Java loss, gradient, β table and item–item neighbour
 * table. Not a test: run by {@code scripts/crosscheck/run-ultragcn} (the PyTorch side needs a machine with torch).
 */
public final class TorchCrossCheckExport {

    private TorchCrossCheckExport() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/crosscheck/ultragcn.json");
        int users = 40;
        int items = 30;
        SplittableRandom r = new SplittableRandom(2026);
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int degree = 1 + r.nextInt(u % 7 == 0 ? 12 : 5);
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            while (seen.size() < degree) {
                // skewed item popularity so degrees and co-occurrences vary
                seen.add((int) Math.min(items - 1, Math.floor(items * Math.pow(r.nextDouble(), 1.7))));
            }
            final int user = u;
            seen.forEach(i -> pairs.add(new int[] {user, i}));
        }
        int[] rows = pairs.stream().mapToInt(p -> p[0]).toArray();
        int[] cols = pairs.stream().mapToInt(p -> p[1]).toArray();
        Adjacency train = Adjacency.fromPairs(users, items, rows, cols, rows.length);
        InteractionGraph graph = new InteractionGraph(train, Adjacency.empty(users, items));
        // Every weight non-trivial so each term of the official loss is exercised.
        UltraGcnObjective objective = new UltraGcnObjective(8, 0.3, 0.3, 1.0, 0.2, 1.0, 6, 4.0, 0.05, 0.7, 4, false);
        UltraGcnModel model = UltraGcnModel.forGraph(graph, objective);
        float[] params = new float[model.numParams()];
        model.initParams(params, 7);

        List<Interaction> batch = new ArrayList<>();
        for (int k = 0; k < pairs.size(); k += 3) {
            batch.add(new Interaction(pairs.get(k)[0], pairs.get(k)[1]));
        }
        long seed = 11;
        float[] grad = new float[params.length];
        BatchLoss loss = model.accumulateGradient(params, batch, grad, SimpleStepContext.of(seed, 0));
        double reg = model.regularize(params, grad);

        int[] bu = batch.stream().mapToInt(Interaction::user).toArray();
        int[] negatives = new int[bu.length * objective.negativeNum()];
        new NegativeSampler(items, null).draw(bu, bu.length, objective.negativeNum(),
                SimpleStepContext.of(seed, 0).random(), negatives);

        DegreeWeights betas = DegreeWeights.fromTrain(train);
        ItemNeighbours nb = ItemNeighbourBuilder.computeAll(train, objective.iiNeighborNum());
        StringBuilder j = new StringBuilder("{\n");
        field(j, "num_users", users);
        field(j, "num_items", items);
        field(j, "dim", objective.embeddingDim());
        j.append("\"objective\": {\"w1\": ").append(objective.w1()).append(", \"w2\": ").append(objective.w2())
                .append(", \"w3\": ").append(objective.w3()).append(", \"w4\": ").append(objective.w4())
                .append(", \"negative_num\": ").append(objective.negativeNum())
                .append(", \"negative_weight\": ").append(objective.negativeWeight())
                .append(", \"gamma\": ").append(objective.gamma()).append(", \"lambda\": ").append(objective.lambda())
                .append(", \"ii_neighbor_num\": ").append(objective.iiNeighborNum()).append("},\n");
        array(j, "train_users", rows);
        array(j, "train_items", cols);
        array(j, "batch_users", bu);
        array(j, "batch_items", batch.stream().mapToInt(Interaction::item).toArray());
        array(j, "negatives", negatives);
        array(j, "params", params);
        array(j, "java_grad", grad);
        array(j, "java_user_beta", betas.userBetas());
        array(j, "java_item_beta", betas.itemBetas());
        array(j, "java_neighbours", nb.neighbourArray());
        array(j, "java_omega", nb.weightArray());
        j.append("\"java_loss\": ").append(String.format(Locale.ROOT, "%.10g", loss.lossSum() + reg)).append("\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, j.toString());
        System.out.println("wrote " + out + " (" + batch.size() + " positives, " + params.length + " parameters)");
    }

    private static void field(StringBuilder j, String name, int value) {
        j.append('"').append(name).append("\": ").append(value).append(",\n");
    }

    private static void array(StringBuilder j, String name, int[] values) {
        j.append('"').append(name).append("\": [");
        for (int i = 0; i < values.length; i++) {
            j.append(i == 0 ? "" : ",").append(values[i]);
        }
        j.append("],\n");
    }

    private static void array(StringBuilder j, String name, float[] values) {
        j.append('"').append(name).append("\": [");
        for (int i = 0; i < values.length; i++) {
            j.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", values[i]));
        }
        j.append("],\n");
    }
}
