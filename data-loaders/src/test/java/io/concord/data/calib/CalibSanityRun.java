package io.concord.data.calib;

import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.calib.UgclLossFunction;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.core.optim.Adam;
import io.concord.core.util.Seeds;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single-machine sanity run (not a unit test): generates a train and a test split, then trains the calibration CNN
 * through the Concord DL4J bridge with Concord's Adam, supervised-only and supervised + UGCL with the same
 * initialisation, batch order and step budget, and prints per-parameter test MAE against the median predictor.
 *
 * <pre>
 *   java -cp ... io.concord.data.calib.CalibSanityRun [train=3000] [test=500] [size=64] [epochs=8] [batch=32]
 *        [lr=0.001] [decay=epochs/4] [seed=1] [ugcl=1.0] [fusion=STACKED]
 *        [supervised=true]
 * </pre>
 * The last {@code decay} epochs run at lr/10, so that the final test MAE is not one noisy point of a constant-rate
 * run.
 */
public final class CalibSanityRun {

    private CalibSanityRun() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int train = Integer.parseInt(a.getOrDefault("train", "3000"));
        int test = Integer.parseInt(a.getOrDefault("test", "500"));
        int size = Integer.parseInt(a.getOrDefault("size", "64"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "8"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "0.001"));
        int decay = Integer.parseInt(a.getOrDefault("decay", String.valueOf(epochs / 4)));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        double ugcl = Double.parseDouble(a.getOrDefault("ugcl", "1.0"));
        CalibNetConfig.Fusion fusion = CalibNetConfig.Fusion.valueOf(a.getOrDefault("fusion", "STACKED"));
        System.out.printf(Locale.ROOT, "calib sanity: train=%d test=%d size=%d epochs=%d batch=%d lr=%g decay=%d "
                + "seed=%d ugcl=%g fusion=%s%n", train, test, size, epochs, batch, lr, decay, seed, ugcl, fusion);

        long t0 = System.nanoTime();
        StereoPairGenerator gen = new StereoPairGenerator(StereoRigConfig.cvgl(size), seed);
        List<StereoPair> trainSet = gen.generate(0, train);
        List<StereoPair> testSet = gen.generate(train, test);
        System.out.printf(Locale.ROOT, "generated %d pairs in %.1f s%n", train + test, (System.nanoTime() - t0) / 1e9);

        ParamScaling scaling = ParamScaling.fit(StereoPairBatches.physicalLabels(trainSet));
        Map<String, double[]> rows = new LinkedHashMap<>();
        double[] median = StereoPairEvaluation.medianMae(trainSet, testSet);
        rows.put("median", median);
        UgclLossConfig supervised = UgclLossConfig.supervisedOnly(size, size);
        if (Boolean.parseBoolean(a.getOrDefault("supervised", "true"))) {
            rows.put("supervised", train(supervised, scaling, trainSet, testSet, size, epochs, decay, batch, lr,
                    seed, fusion));
        }
        if (ugcl > 0) {
            UgclLossConfig withConstraints = UgclLossConfig.withConstraints(size, size, ugcl);
            rows.put("sup+ugcl(" + ugcl + ")", train(withConstraints, scaling, trainSet, testSet, size, epochs, decay,
                    batch, lr, seed, fusion));
        }
        System.out.println();
        System.out.print(CalibMae.table(rows));
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            System.out.printf(Locale.ROOT, "%-16s mean MAE relative to median: %.4f%n", row.getKey(),
                    CalibMae.relativeMean(row.getValue(), median));
        }
    }

    static double[] train(UgclLossConfig lossConfig, ParamScaling scaling, List<StereoPair> trainSet,
                          List<StereoPair> testSet, int size, int epochs, int decay, int batchSize, double lr,
                          long seed,
                          CalibNetConfig.Fusion fusion) {
        CalibNetConfig net = CalibNetConfig.small(size, size).withFusion(fusion);
        Dl4jNetworkModel<StereoPair> model = Dl4jNetworkModel.of(
                CalibNetwork.configuration(net, new UgclLossFunction(lossConfig, scaling)),
                StereoPairBatches.converter(fusion, scaling));
        float[] params = new float[model.numParams()];
        model.initParams(params, seed);
        Adam adam = Adam.adam(lr);
        Adam decayed = Adam.adam(lr / 10);
        float[] state = new float[adam.stateSize(params.length)];
        float[] grad = new float[params.length];
        long step = 0;
        long t0 = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = Seeds.permutation(trainSet.size(), Seeds.stream(seed, 0xE90CL, epoch));
            double lossSum = 0;
            double weight = 0;
            for (int start = 0; start + batchSize <= order.length; start += batchSize) {
                List<StereoPair> batch = new ArrayList<>(batchSize);
                for (int i = start; i < start + batchSize; i++) {
                    batch.add(trainSet.get(order[i]));
                }
                java.util.Arrays.fill(grad, 0f);
                BatchLoss bl = model.accumulateGradient(params, batch, grad, SimpleStepContext.of(seed, step));
                float inv = (float) (1.0 / bl.weight());
                for (int i = 0; i < grad.length; i++) {
                    grad[i] *= inv;
                }
                (epoch >= epochs - decay ? decayed : adam).step(params, grad, state, ++step);
                lossSum += bl.lossSum();
                weight += bl.weight();
            }
            double[] testMae = StereoPairEvaluation.mae((ComputationGraph) model.networkWith(params), scaling, fusion,
                    testSet, 100);
            System.out.printf(Locale.ROOT, "  [%s] epoch %d  train loss %.4f  test MAE fx %.3f px, theta %.4f rad, "
                    + "d %.3f px  (%.0f s)%n", lossConfig.vanishingPointWeight() > 0 ? "ugcl" : "sup", epoch + 1,
                    lossSum / weight, testMae[0], testMae[9], testMae[5], (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "  %d params, %d steps, %.1f examples/s%n", params.length, step,
                step * batchSize / ((System.nanoTime() - t0) / 1e9));
        return StereoPairEvaluation.mae((ComputationGraph) model.networkWith(params), scaling, fusion, testSet, 100);
    }
}
