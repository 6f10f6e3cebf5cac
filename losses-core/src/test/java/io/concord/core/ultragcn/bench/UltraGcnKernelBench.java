package io.concord.core.ultragcn.bench;

import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link UltraGcnKernelBenchmark} (JMH, wall clock, 1 and 2 threads) and a CPU-time probe of the same operations,
 * then prints scores per second, the fp32 GEMM peak, the kernel/peak ratio and the projected Gowalla epoch.
 *
 * <p>The build machine's 2 cores are shared with other jobs, so wall-clock numbers there depend on the load; the probe
 * measures each operation's THREAD CPU time (time actually on a core), interleaving kernel, dense step and GEMM so that
 * they see the same conditions, which is what the operations would take on dedicated cores.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -Xmx2g -cp losses-core/target/test-classes:losses-core/target/classes:$(cat cp.txt) \
 *     io.concord.core.ultragcn.bench.UltraGcnKernelBench [jmh] [probe]
 * </pre>
 */
public final class UltraGcnKernelBench {

    /** Gowalla official epoch: ceil(810,128 / 512) batches. */
    static final int GOWALLA_BATCHES = 1583;
    /** Flops per scored pair: a 64-d dot product and two 64-d axpys (user and item gradient). */
    static final double FLOPS_PER_SCORE = 3 * 2 * 64;

    private UltraGcnKernelBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean jmh = args.length == 0 || Arrays.asList(args).contains("jmh");
        boolean probe = args.length == 0 || Arrays.asList(args).contains("probe");
        StringBuilder report = new StringBuilder();
        if (jmh) {
            for (int threads : new int[]{1, 2}) {
                Options opt = new OptionsBuilder()
                        .include(UltraGcnKernelBenchmark.class.getName() + ".*")
                        .threads(threads)
                        .build();
                Collection<RunResult> results = new Runner(opt).run();
                Map<String, Double> ms = new HashMap<>();
                for (RunResult rr : results) {
                    String name = rr.getParams().getBenchmark();
                    ms.put(name.substring(name.lastIndexOf('.') + 1), rr.getPrimaryResult().getScore());
                }
                report.append(String.format("JMH wall clock, %d thread(s), load average %s%n", threads, load()));
                report.append(summary(threads, ms.get("gowallaBatch"), ms.get("denseL2AndAdamStep"),
                        ms.get("adamCoupledDecayStep"), ms.get("gemm1024")));
            }
        }
        if (probe) {
            report.append(String.format("CPU-time probe, 1 thread, load average %s%n", load()));
            report.append(cpuProbe());
        }
        System.out.print(report);
    }

    private static String summary(int threads, double batchMs, double denseMs, double fusedMs, double gemmMs) {
        int batch = UltraGcnKernelBenchmark.PRESET.batchSize();
        int r = UltraGcnKernelBenchmark.PRESET.objective().negativeNum();
        int k = UltraGcnKernelBenchmark.PRESET.objective().iiNeighborNum();
        double negPerSec = threads * (double) batch * r / (batchMs / 1e3);
        double allPerSec = threads * (double) batch * (r + 1 + k) / (batchMs / 1e3);
        double kernelFlops = allPerSec * FLOPS_PER_SCORE;
        double gemmFlops = threads * 2.0 * Math.pow(1024, 3) / (gemmMs / 1e3);
        // an epoch on 2 cores: the batches' kernels split over 2 cores, the dense step once per batch on one core
        double epochSec = GOWALLA_BATCHES * (batchMs * threads / 2.0 / threads + denseMs) / 1e3;
        double epochFusedSec = GOWALLA_BATCHES * (batchMs / 2.0 + fusedMs) / 1e3;
        return String.format("  batch (512 pos x 1500 neg) %.1f ms, L2+Adam step %.2f ms, Adam with coupled decay"
                        + " %.2f ms, gemm1024 %.2f ms%n"
                        + "  negative scores/s %.3g (all scores incl. positive and item-item %.3g) on %d core(s)%n"
                        + "  kernel %.2f GFLOP/s useful vs fp32 GEMM %.1f GFLOP/s: ratio %.3f%n"
                        + "  projected Gowalla epoch on 2 cores (%d batches): %.1f s; with the L2 folded into Adam"
                        + " %.1f s (goal <= 52 s)%n",
                batchMs, denseMs, fusedMs, gemmMs, negPerSec, allPerSec, threads, kernelFlops / 1e9,
                gemmFlops / 1e9, kernelFlops / gemmFlops, GOWALLA_BATCHES, epochSec, epochFusedSec);
    }

    /** Median thread-CPU milliseconds per operation, operations interleaved. */
    private static String cpuProbe() {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        UltraGcnKernelBenchmark bench = new UltraGcnKernelBenchmark();
        UltraGcnKernelBenchmark.Batches batches = new UltraGcnKernelBenchmark.Batches();
        batches.setUp();
        UltraGcnKernelBenchmark.Dense dense = new UltraGcnKernelBenchmark.Dense();
        dense.setUp();
        UltraGcnKernelBenchmark.Gemm gemm = new UltraGcnKernelBenchmark.Gemm();
        gemm.setUp();
        int rounds = 40;
        double[][] cpu = new double[4][rounds];
        for (int round = -15; round < rounds; round++) {
            for (int op = 0; op < 4; op++) {
                long c0 = tm.getCurrentThreadCpuTime();
                switch (op) {
                    case 0 -> bench.gowallaBatch(batches);
                    case 1 -> bench.denseL2AndAdamStep(dense);
                    case 2 -> bench.adamCoupledDecayStep(dense);
                    default -> {
                        bench.gemm1024(gemm);
                        Nd4j.getExecutioner().commit();
                    }
                }
                double ms = (tm.getCurrentThreadCpuTime() - c0) / 1e6;
                if (round >= 0) {
                    cpu[op][round] = ms;
                }
            }
        }
        gemm.tearDown();
        double[] median = new double[4];
        for (int op = 0; op < 4; op++) {
            Arrays.sort(cpu[op]);
            median[op] = cpu[op][rounds / 2];
        }
        return summary(1, median[0], median[1], median[2], median[3]);
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format("%.1f", l);
    }
}
