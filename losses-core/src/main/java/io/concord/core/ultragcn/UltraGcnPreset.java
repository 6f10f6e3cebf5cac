package io.concord.core.ultragcn;

import io.concord.core.param.ParamException;
import java.util.Locale;

/**
 * The official UltraGCN hyperparameters per dataset (xue-pai/UltraGCN {@code *_config.ini} ==
 * reczoo/RecZoo {@code config/ultragcn_*_m1.ini}; reference §1.8), with the official test settings (test batch 2048,
 * top-k 20) and the logged best results (§1.9) for comparison.
 *
 * <p>Amazon-Electronics: the config has {@code early_stop_epoch = 250}; the published log was run with 500.
 */
public enum UltraGcnPreset {

    //              dim  init  lr    batch  w1    w2  w3    w4    R     negW  gamma  lambda  K  stop  max   sift
    AMAZON_BOOK("amazon-book",
            64, 1e-4, 1e-3, 1024, 1e-8, 1, 1, 1e-8, 500, 500, 1e-4, 2.75, 10, 15, 2000, false, 0.068092, 0.055588),
    YELP2018("yelp2018",
            64, 1e-4, 1e-3, 1024, 1e-8, 1, 1e-8, 1, 800, 300, 1e-4, 5e-4, 10, 15, 2000, false, 0.068109, 0.055815),
    GOWALLA("gowalla",
            64, 1e-4, 1e-4, 512, 1e-6, 1, 1e-6, 1, 1500, 300, 1e-4, 5e-4, 10, 150, 2000, false, 0.186364, 0.158097),
    ML_1M("ml-1m",
            128, 1e-3, 1e-3, 1024, 1e-7, 1, 1e-7, 1, 200, 200, 1e-4, 1e-3, 10, 50, 2000, false, 0.278671, 0.264211),
    AMAZON_CDS("amazon-cds",
            64, 1e-4, 1e-3, 1024, 1e-7, 1, 1e-7, 1, 1000, 1000, 1e-4, 1.0, 10, 15, 2000, false, 0.162161, 0.104323),
    AMAZON_ELECTRONICS("amazon-electronics",
            64, 1e-3, 1e-3, 2048, 1e-7, 1, 1e-7, 1, 75, 75, 5e-5, 1e-7, 10, 250, 2000, true, 0.13683, 0.08285);

    /** Official {@code test_batch_size}. */
    public static final int TEST_BATCH_SIZE = 2048;
    /** Official {@code topk}. */
    public static final int TOP_K = 20;

    private final String datasetName;
    private final UltraGcnObjective objective;
    private final double learningRate;
    private final int batchSize;
    private final int earlyStopEvaluations;
    private final int maxEpoch;
    private final double officialRecallAt20;
    private final double officialNdcgAt20;

    UltraGcnPreset(String datasetName, int dim, double initialWeight, double learningRate, int batchSize, double w1,
                   double w2, double w3, double w4, int negativeNum, double negativeWeight, double gamma,
                   double lambda, int k, int earlyStopEvaluations, int maxEpoch, boolean siftPos,
                   double officialRecallAt20, double officialNdcgAt20) {
        this.datasetName = datasetName;
        this.objective = new UltraGcnObjective(dim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight, gamma,
                lambda, k, siftPos);
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.earlyStopEvaluations = earlyStopEvaluations;
        this.maxEpoch = maxEpoch;
        this.officialRecallAt20 = officialRecallAt20;
        this.officialNdcgAt20 = officialNdcgAt20;
    }

    /** The preset for a dataset name as used in configs and folder names ({@code gowalla}, {@code ml-1m}, …). */
    public static UltraGcnPreset forDataset(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (UltraGcnPreset p : values()) {
            if (p.datasetName.equals(key)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (UltraGcnPreset p : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(p.datasetName);
        }
        throw new ParamException("ultragcn.preset", "unknown dataset '" + name + "'; known: " + known);
    }

    public String datasetName() {
        return datasetName;
    }

    public UltraGcnObjective objective() {
        return objective;
    }

    /** Adam learning rate ({@code learning_rate}); PyTorch defaults for betas and eps, no weight decay. */
    public double learningRate() {
        return learningRate;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * {@code early_stop_epoch}: training stops after this many consecutive TEST EVALUATIONS without a strict
     * improvement of Recall@20 (evaluations run at epochs 0, 5, …, 45 and then every epoch).
     */
    public int earlyStopEvaluations() {
        return earlyStopEvaluations;
    }

    public int maxEpoch() {
        return maxEpoch;
    }

    /** Best Recall@20 of the official run log (§1.9). */
    public double officialRecallAt20() {
        return officialRecallAt20;
    }

    /** NDCG@20 at the official run's best-Recall epoch (§1.9). */
    public double officialNdcgAt20() {
        return officialNdcgAt20;
    }

    /** Whether the official schedule evaluates after epoch {@code epoch} (0-based): every 5th before 50, then all. */
    public static boolean officialEvaluationEpoch(int epoch) {
        return epoch >= 50 || epoch % 5 == 0;
    }
}
