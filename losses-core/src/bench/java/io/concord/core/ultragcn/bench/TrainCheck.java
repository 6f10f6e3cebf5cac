package io.concord.core.ultragcn.bench;

import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;

import java.io.File;

/**
 * Trains UltraGCN on one machine with a dataset's official preset and the official evaluation schedule and early
 * stopping, printing Recall/NDCG@20 per evaluation and the best epoch.
 *
 * <pre>
 * java -cp … io.concord.core.ultragcn.bench.TrainCheck amazon-electronics [maxEpochs] [threads] [lr] [earlyStop]
 * </pre>
 * System properties override the preset for exploration: {@code -Dneg=R} (negative_num, negative_weight kept),
 * {@code -Dbatch=B}, {@code -Dinit=std}, {@code -DevalEvery=n} (evaluate every n epochs instead of the official
 * schedule), {@code -DmaxSeconds=s} (stop after s seconds of training).
 */
public final class TrainCheck {

    private TrainCheck() {
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    public static void main(String[] args) throws Exception {
        String dataset = args.length > 0 ? args[0] : "amazon-electronics";
        UltraGcnPreset preset = UltraGcnPreset.forDataset(dataset);
        int maxEpochs = args.length > 1 ? Integer.parseInt(args[1]) : preset.maxEpoch();
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double lr = args.length > 3 ? Double.parseDouble(args[3]) : preset.learningRate();
        int earlyStop = args.length > 4 ? Integer.parseInt(args[4]) : preset.earlyStopEvaluations();
        long seed = 2021;
        File dir = SplitFiles.sharedDataset(dataset);
        InteractionGraph g = SplitFiles.read(dir);
        UltraGcnObjective obj = preset.objective();
        if (System.getProperty("neg") != null) {
            obj = obj.withNegativeNum(Integer.getInteger("neg"));
        }
        if (System.getProperty("init") != null) {
            obj = new UltraGcnObjective(obj.embeddingDim(), Double.parseDouble(System.getProperty("init")), obj.w1(),
                    obj.w2(), obj.w3(), obj.w4(), obj.negativeNum(), obj.negativeWeight(), obj.gamma(), obj.lambda(),
                    obj.iiNeighborNum(), obj.samplingSiftPos());
        }
        int batchSize = Integer.getInteger("batch", preset.batchSize());
        int evalEvery = Integer.getInteger("evalEvery", 0);
        double maxSeconds = Double.parseDouble(System.getProperty("maxSeconds", "1e18"));
        long t0 = System.nanoTime();
        UltraGcnModel model = UltraGcnModel.forGraph(g, obj);
        System.out.printf("%s: %s; neighbour table + model in %.1f s; lr %g, batch %d, threads %d, R %d, init %g%n",
                dataset, g, (System.nanoTime() - t0) / 1e9, lr, batchSize, threads, obj.negativeNum(),
                obj.initialWeight());
        double bestRecall = -1;
        double bestNdcg = 0;
        int bestEpoch = -1;
        int sinceBest = 0;
        double trainSeconds = 0;
        try (LocalTrainer trainer = new LocalTrainer(g, model, lr, batchSize, seed, threads)) {
            for (int epoch = 0; epoch < maxEpochs; epoch++) {
                long s = System.nanoTime();
                long cpu0 = processCpuNanos();
                double loss = trainer.trainEpoch(epoch);
                double secs = (System.nanoTime() - s) / 1e9;
                double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
                trainSeconds += secs;
                boolean due = evalEvery > 0 ? (epoch + 1) % evalEvery == 0
                        : UltraGcnPreset.officialEvaluationEpoch(epoch);
                if (trainSeconds >= maxSeconds) {
                    due = true;
                }
                if (!due) {
                    continue;
                }
                long e = System.nanoTime();
                RankingResult r = trainer.evaluate(UltraGcnPreset.TOP_K);
                System.out.printf("epoch %4d  loss %.5f  train %.2f s (process CPU %.1f s, total train %.0f s)  eval %.2f s"
                                + "  Recall@20 %.5f  NDCG@20 %.5f  Precision@20 %.5f%n", epoch, loss, secs, cpuSecs,
                        trainSeconds, (System.nanoTime() - e) / 1e9, r.recall(), r.ndcg(), r.precision());
                if (r.recall() > bestRecall) {
                    bestRecall = r.recall();
                    bestNdcg = r.ndcg();
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else if (++sinceBest == earlyStop) {
                    System.out.printf("early stop at epoch %d%n", epoch);
                    break;
                }
                if (trainSeconds >= maxSeconds) {
                    System.out.printf("time budget of %.0f s reached at epoch %d%n", maxSeconds, epoch);
                    break;
                }
            }
        }
        System.out.printf("best epoch %d: Recall@20 %.5f NDCG@20 %.5f (official %.5f / %.5f); train time %.1f s%n",
                bestEpoch, bestRecall, bestNdcg, preset.officialRecallAt20(), preset.officialNdcgAt20(),
                trainSeconds);
    }
}
