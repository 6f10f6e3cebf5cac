package io.concord.workload.pref;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.util.Seeds;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.ArithmeticTask;
import io.concord.data.pref.TextEncoder;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import io.concord.job.PartitionOrderedSum;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pref-sample}: distributed sampling of k responses per training question from a trained model (one task per
 * slice of questions; question i's samples are a pure function of (seed, i)), each scored by its final answer. Writes
 * ranked groups {@code {prompt, responses, scores, question, answer}} (scores 1 = correct, 0 = wrong; duplicate
 * responses removed, as AFT deduplicates sampled chains of thought) to {@code samples/part-NNNNN.jsonl} in the run
 * directory, the input of {@code pref-align} with {@code data.ranked}.
 */
public final class PrefSampleJob implements Job<PrefSampleConfig> {

    @Override
    public String name() {
        return "pref-sample";
    }

    @Override
    public String description() {
        return "sample k responses per arithmetic question from a model; groups by answer correctness";
    }

    @Override
    public Class<PrefSampleConfig> configType() {
        return PrefSampleConfig.class;
    }

    @Override
    public void checkInputs(PrefSampleConfig config, Configuration hadoopConf) {
        ModelFiles.checkExists(config.init(), "init", hadoopConf);
    }

    @Override
    public JobResult run(PrefSampleConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        ModelSetup setup = ModelSetup.resolve(ModelSection.defaults(), config.init(), sc.hadoopConfiguration(),
                null);
        PrefSampleConfig.Sample s = config.sample();
        GruLanguageModel lm = setup.lm();
        TextEncoder encoder = new TextEncoder(setup.vocabulary(), s.maxPromptTokens(), Integer.MAX_VALUE);
        ArithmeticSection a = config.arithmetic();
        ArithmeticTask task = a.task();
        long taskSeed = a.seed();
        double fraction = a.heldOutFraction();
        long seed = config.seed();
        int k = s.k();
        double temperature = s.temperature();
        int maxTokens = a.maxNewTokens();
        boolean includeReference = s.includeReference();
        String outDir = ctx.runDir().staged("samples").toString();
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());

        int partitions = s.partitions() > 0 ? s.partitions() : sc.defaultParallelism();
        List<long[]> slices = new ArrayList<>();
        long per = (s.questions() + partitions - 1) / partitions;
        for (long from = 0; from < s.questions(); from += per) {
            slices.add(new long[] {from, Math.min(per, s.questions() - from)});
        }
        Broadcast<float[]> params = sc.broadcast(setup.initial());
        double[] totals = sc.parallelize(slices, slices.size()).mapPartitionsWithIndex((index, it) -> {
            ObjectMapper json = new ObjectMapper();
            double[] counts = new double[Counts.LENGTH];
            Path file = new Path(outDir, String.format("part-%05d.jsonl", index));
            try (FSDataOutputStream out = file.getFileSystem(conf.value()).create(file, true);
                 Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                while (it.hasNext()) {
                    long[] slice = it.next();
                    for (ArithmeticProblem p : task.generate(taskSeed, slice[0], (int) slice[1])) {
                        if (ArithmeticTask.isHeldOut(p.question(), fraction)) {
                            continue;
                        }
                        int[][] samples = lm.sample(params.value(), encoder.prompt(p.prompt()), k, temperature,
                                maxTokens, Seeds.stream(seed, 0x5A3B1EL, p.index()));
                        w.write(group(json, p, samples, encoder, includeReference, counts).toString());
                        w.write('\n');
                    }
                }
            } catch (IOException e) {
                throw new RunDirectory.OutputException("writing " + file + " failed: " + e.getMessage(), e);
            }
            return List.of(counts).iterator();
        }, true).reduce(PartitionOrderedSum::add); // integer counts: exact in any order
        params.destroy();

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("questions", totals[Counts.QUESTIONS]);
        metrics.put("sampleAccuracy", totals[Counts.CORRECT] / totals[Counts.SAMPLES]);
        metrics.put("passAtK", totals[Counts.ANY_CORRECT] / totals[Counts.QUESTIONS]);
        metrics.put("distinctResponsesPerGroup", totals[Counts.RESPONSES] / totals[Counts.QUESTIONS]);
        metrics.put("mixedGroups", totals[Counts.MIXED] / totals[Counts.QUESTIONS]);
        metrics.put("pairs", totals[Counts.PAIRS]);
        ctx.console().println("sampled " + (long) totals[Counts.SAMPLES] + " responses: " + metrics);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("samples", ctx.runDir().committedPath() + "/samples");
        details.put("init", setup.initFiles());
        details.put("k", k);
        details.put("temperature", temperature);
        return new JobResult(0, Double.NaN, metrics, details);
    }

    /** Slots of the per-partition counts. */
    private static final class Counts {
        static final int QUESTIONS = 0;
        static final int SAMPLES = 1;
        static final int CORRECT = 2;
        static final int ANY_CORRECT = 3;
        static final int RESPONSES = 4;
        static final int MIXED = 5;
        static final int PAIRS = 6;
        static final int LENGTH = 7;
    }

    private static ObjectNode group(ObjectMapper json, ArithmeticProblem p, int[][] samples, TextEncoder encoder,
                                    boolean includeReference, double[] counts) {
        Map<String, Integer> scored = new LinkedHashMap<>();
        if (includeReference) {
            scored.put(p.solution(), 1);
        }
        int correct = 0;
        for (int[] sample : samples) {
            String text = encoder.vocabulary().decode(sample);
            int score = p.isCorrect(text) ? 1 : 0;
            correct += score;
            scored.putIfAbsent(text, score);
        }
        Set<Integer> levels = new LinkedHashSet<>(scored.values());
        long positives = scored.values().stream().filter(v -> v == 1).count();
        counts[Counts.QUESTIONS] += 1;
        counts[Counts.SAMPLES] += samples.length;
        counts[Counts.CORRECT] += correct;
        counts[Counts.ANY_CORRECT] += correct > 0 ? 1 : 0;
        counts[Counts.RESPONSES] += scored.size();
        counts[Counts.MIXED] += levels.size() > 1 ? 1 : 0;
        counts[Counts.PAIRS] += positives * (scored.size() - positives);

        ObjectNode node = json.createObjectNode();
        node.put("prompt", p.prompt());
        ArrayNode responses = node.putArray("responses");
        ArrayNode scores = node.putArray("scores");
        scored.forEach((text, score) -> {
            responses.add(text);
            scores.add(score);
        });
        node.put("question", p.question());
        node.put("answer", p.answer());
        return node;
    }
}
