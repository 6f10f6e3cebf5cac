package io.concord.core.bench;

import io.concord.core.loss.AldrKlLoss;
import io.concord.core.loss.ConRLoss;
import io.concord.core.loss.EnsLoss;
import io.concord.core.loss.InfoNceLoss;
import io.concord.core.loss.Loss;
import io.concord.core.loss.LossRegistry;
import io.concord.core.loss.MetricLoss;
import io.concord.core.loss.NormalizedSoftmaxLoss;
import io.concord.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Value-and-gradient throughput of every loss in the catalog, float32 inputs as the engine passes them. One
 * invocation evaluates one batch; the table {@link #main} prints converts invocations/s into input elements/s (the
 * size of the loss's main input: {@code batch × classes} logits for row losses, {@code batch × dim} embeddings or
 * features otherwise).
 *
 * <p>Run (after {@code mvn -o -q -pl losses-core test-compile} and writing the test classpath to {@code cp.txt} with
 * {@code dependency:build-classpath -Dmdep.includeScope=test}):
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp losses-core/target/test-classes:losses-core/target/classes:$(cat cp.txt) \
 *       io.concord.core.bench.LossThroughputBench [loss-name-regex]
 * </pre>
 * System properties {@code bench.warmup}, {@code bench.iterations} (default 2 and 3 one-second iterations) and
 * {@code bench.forks} (default 1) override the short defaults.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class LossThroughputBench {

    static final int BATCH = 256;
    static final int CLASSES = 10;
    static final int DIM = 64;

    @Param({"cross-entropy", "gce", "mae", "z-loss", "logit-z-loss", "stablemax", "ldr-kl", "aldr-kl", "ensloss",
            "infonce", "conr", "pseudo-huber", "pass-at-n", "proto-triplet", "icnn", "normalized-softmax"})
    public String loss;

    private DoubleSupplier workload;

    /** Elements of the main input per invocation, for the elements/s column. */
    static long elements(String loss) {
        return switch (loss) {
            case "ensloss" -> BATCH;
            case "infonce", "conr", "pseudo-huber", "proto-triplet", "icnn", "normalized-softmax" ->
                    (long) BATCH * DIM;
            default -> (long) BATCH * CLASSES;
        };
    }

    static String shape(String loss) {
        return switch (loss) {
            case "ensloss" -> BATCH + "×1 scores";
            case "infonce" -> "2 × " + BATCH + "×" + DIM + " embeddings";
            case "conr" -> BATCH + "×" + DIM + " features";
            case "pseudo-huber" -> BATCH + "×" + DIM;
            case "proto-triplet" -> BATCH + "×" + DIM + " queries, " + CLASSES + " prototypes";
            case "icnn" -> BATCH + "×" + DIM + " (self)";
            case "normalized-softmax" -> BATCH + "×" + DIM + " features, " + CLASSES + " classes";
            default -> BATCH + "×" + CLASSES + " logits";
        };
    }

    private static INDArray gaussian(SplittableRandom r, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Seeds.gaussian(r);
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.FLOAT);
    }

    private static INDArray oneHot(int[] labels, int classes) {
        INDArray t = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            t.putScalar(i, labels[i], 1.0);
        }
        return t;
    }

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(2024);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        INDArray logits = gaussian(r, BATCH, CLASSES).muli(2.0);
        INDArray targets = oneHot(labels, CLASSES);
        INDArray gradLogits = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        Map<String, Object> params = loss.equals("pass-at-n") ? Map.of("n", 4) : Map.of();
        Object instance = LossRegistry.create(loss, params);
        switch (loss) {
            case "aldr-kl" -> {
                AldrKlLoss aldr = (AldrKlLoss) instance;
                double[] state = new double[BATCH];
                java.util.Arrays.fill(state, 1.0);
                double[] next = new double[BATCH];
                workload = () -> aldr.valueAndGradient(logits, targets, state, next, gradLogits);
            }
            case "ensloss" -> {
                EnsLoss ens = (EnsLoss) instance;
                INDArray scores = gaussian(r, BATCH, 1);
                INDArray binary = Nd4j.zeros(DataType.FLOAT, BATCH, 1);
                for (int i = 0; i < BATCH; i++) {
                    binary.putScalar(i, 0, labels[i] % 2);
                }
                INDArray grad = Nd4j.zeros(DataType.FLOAT, BATCH, 1);
                long[] step = {0};
                workload = () -> ens.valueAndGradient(scores, binary, grad, Seeds.stream(1, step[0]++, 0));
            }
            case "infonce" -> {
                InfoNceLoss nce = (InfoNceLoss) instance;
                INDArray a = gaussian(r, BATCH, DIM);
                INDArray p = a.add(gaussian(r, BATCH, DIM).muli(0.3));
                INDArray ga = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                INDArray gp = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                workload = () -> nce.valueAndGradientEmbeddings(a, p, ga, gp);
            }
            case "conr" -> {
                ConRLoss conr = (ConRLoss) instance;
                INDArray f = gaussian(r, BATCH, DIM);
                INDArray y = Nd4j.create(DataType.FLOAT, BATCH);
                INDArray yHat = Nd4j.create(DataType.FLOAT, BATCH);
                for (int i = 0; i < BATCH; i++) {
                    y.putScalar(i, 20 + 40 * r.nextDouble());
                    yHat.putScalar(i, y.getDouble(i) + 3 * Seeds.gaussian(r));
                }
                INDArray g = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                workload = () -> conr.valueAndGradient(f, y, yHat, null, g);
            }
            case "pseudo-huber" -> {
                Loss huber = (Loss) instance;
                INDArray x = gaussian(r, BATCH, DIM);
                INDArray y = gaussian(r, BATCH, DIM);
                INDArray g = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                workload = () -> huber.valueAndGradient(x, y, g);
            }
            case "proto-triplet", "icnn" -> {
                MetricLoss metric = (MetricLoss) instance;
                INDArray q = gaussian(r, BATCH, DIM);
                INDArray gq = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                if (loss.equals("icnn")) {
                    workload = () -> metric.valueAndGradient(q, labels, q, labels, gq, null);
                } else {
                    INDArray protos = gaussian(r, CLASSES, DIM);
                    int[] protoLabels = new int[CLASSES];
                    for (int c = 0; c < CLASSES; c++) {
                        protoLabels[c] = c;
                    }
                    INDArray gp = Nd4j.zeros(DataType.FLOAT, CLASSES, DIM);
                    workload = () -> metric.valueAndGradient(q, labels, protos, protoLabels, gq, gp);
                }
            }
            case "normalized-softmax" -> {
                NormalizedSoftmaxLoss head = (NormalizedSoftmaxLoss) instance;
                INDArray f = gaussian(r, BATCH, DIM);
                INDArray w = gaussian(r, CLASSES, DIM);
                INDArray gf = Nd4j.zeros(DataType.FLOAT, BATCH, DIM);
                INDArray gw = Nd4j.zeros(DataType.FLOAT, CLASSES, DIM);
                workload = () -> head.valueAndGradient(f, w, targets, gf, gw);
            }
            default -> {
                Loss rowLoss = (Loss) instance;
                workload = () -> rowLoss.valueAndGradient(logits, targets, gradLogits);
            }
        }
    }

    @Benchmark
    public double valueAndGradient() {
        return workload.getAsDouble();
    }

    public static void main(String[] args) throws RunnerException {
        String filter = args.length > 0 ? args[0] : ".*";
        Options options = new OptionsBuilder()
                .include(LossThroughputBench.class.getName() + ".valueAndGradient")
                .param("loss", LossRegistry.names().stream().filter(n -> n.matches(filter))
                        .filter(n -> !n.equals("comp-sum")).toArray(String[]::new))
                .warmupIterations(Integer.getInteger("bench.warmup", 2))
                .measurementIterations(Integer.getInteger("bench.iterations", 3))
                .warmupTime(TimeValue.seconds(1))
                .measurementTime(TimeValue.seconds(1))
                .forks(Integer.getInteger("bench.forks", 1))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("| loss | input per call | calls/s | elements/s | ± (99.9%) elements/s |");
        System.out.println("|---|---|---:|---:|---:|");
        for (RunResult result : results) {
            String name = result.getParams().getParam("loss");
            double callsPerSecond = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            long elements = elements(name);
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.3e | %.1e |%n", name, shape(name), callsPerSecond,
                    callsPerSecond * elements, Double.isNaN(error) ? 0.0 : error * elements);
        }
    }
}
