package io.concord.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigLoader;
import io.concord.engine.EngineConfig;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.run.ConfigHash;
import io.concord.run.RunDirectory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training values a run computes instead of reading them from its config — rounds (e.g. from {@code epochs}),
 * partitions, the global batch, rounds per epoch — recorded under {@code derived:} in {@code config.effective.yaml}
 * so the file says what the run used, not an unused default.
 *
 * @param rounds           rounds the engine runs
 * @param partitions       shards (Spark partitions) trained on
 * @param globalBatch      examples in one optimizer step over all partitions (partitions × batch size; a full
 *                         batch = all examples)
 * @param examplesPerRound examples one round visits (global batch × local steps)
 * @param roundsPerEpoch   rounds for one pass over the training examples
 * @param examples         training examples
 * @param checkpointEvery  rounds between checkpoints (0 = only at the end)
 */
public record DerivedValues(int rounds, int partitions, long globalBatch, long examplesPerRound, int roundsPerEpoch,
                            long examples, int checkpointEvery) {

    public static final String SECTION = ConfigHash.DERIVED;

    public static <R> DerivedValues of(EngineConfig train, JavaRDD<Shard<R>> shards) {
        List<Integer> sizes = Sharding.sizes(shards);
        long examples = sizes.stream().mapToLong(Integer::longValue).sum();
        int partitions = sizes.size();
        long globalBatch = train.batchSize() == 0 ? examples : (long) partitions * train.batchSize();
        long perRound = globalBatch * train.stepsPerRound();
        int roundsPerEpoch = (int) Math.max(1, (examples + perRound - 1) / Math.max(1, perRound));
        return new DerivedValues(train.rounds(), partitions, globalBatch, perRound, roundsPerEpoch, examples,
                train.checkpointEvery());
    }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("train.rounds", (long) rounds);
        m.put("train.partitions", (long) partitions);
        m.put("globalBatch", globalBatch);
        m.put("examplesPerRound", examplesPerRound);
        m.put("roundsPerEpoch", (long) roundsPerEpoch);
        m.put("trainExamples", examples);
        m.put("train.checkpointEvery", (long) checkpointEvery);
        return m;
    }

    /** Replaces the {@code derived:} section of the staged {@code config.effective.yaml} with these values. */
    public void writeTo(RunDirectory dir) {
        Path file = dir.staged("config.effective.yaml");
        ObjectNode tree;
        try {
            if (!dir.fs().exists(file)) {
                return;
            }
            try (InputStream in = dir.fs().open(file)) {
                tree = ConfigLoader.parse(in, file.toString());
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + file + " failed: " + e.getMessage(), e);
        }
        ObjectNode section = tree.objectNode();
        asMap().forEach((k, v) -> section.put(k, v.longValue()));
        tree.set(SECTION, section);
        dir.writeString("config.effective.yaml", ConfigLoader.toYaml(tree));
    }
}
