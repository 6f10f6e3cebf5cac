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
 * Runs {@link UltraGcnKernelJmh} (JMH, wall clock, 1 and 2 threads) and a CPU-time probe of the same operations,
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
        report.append(String.format("kernel selected by the model: %s (Vector API %s)%n",
                io.concord.core.ultragcn.NegativeTermKernel.create(64, 2, 2, 1, 1,
                        io.concord.core.ultragcn.DegreeWeights.fromDegrees(new int[2], new int[2]), 0)
                        .getClass().getSimpleName(),
                io.concord.core.util.VectorSupport.class.getSimpleName().isEmpty() ? "?"
                        : "module " + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                        ? "present" : "absent")));
        if (jmh) {
            for (int threads : new int[]{1, 2}) {
                Options opt = new OptionsBuilder()
                        .include(UltraGcnKernelJmh.class.getName() + ".*")
                        .threads(threads)
                        .build();
                Collection<RunResult> results = new Runner(opt).run();
                Map<String, Double> ms = new HashMap<>();
                for (RunResult rr : results) {
                    String name = rr.getParams().getBenchmark();
                    ms.put(name.substring(name.lastIndexOf('.') + 1), rr.getPrimaryResult().getScore());
                }
                report.append(String.format("JMH wall clock, %d thread(s), load average %s%n", threads, load()));
                report.append(summary(threads, ms));
            }
        }
        if (probe) {
            report.append(String.format("CPU-time probe, 1 thread, load average %s%n", load()));
            StringBuilder heap = new StringBuilder();
            report.append(summary(1, cpuProbe(heap)));
            report.append(heap);
        }
        System.out.print(report);
    }

    /**
     * @param ms milliseconds per operation: gowallaBatch (whole batch through the model: sampling, positive and
     *           item–item terms, SIMD negatives), negativesScalar / negativesVector (negative terms only),
     *           denseL2AndAdamStep, denseFusedL2AndAdamStep, gemm1024
     */
    private static String summary(int threads, Map<String, Double> ms) {
        int batch = UltraGcnKernelJmh.PRESET.batchSize();
        int r = UltraGcnKernelJmh.PRESET.objective().negativeNum();
        int k = UltraGcnKernelJmh.PRESET.objective().iiNeighborNum();
        double gemmFlops = threads * 2.0 * Math.pow(1024, 3) / (ms.get("gemm1024") / 1e3);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  fp32 GEMM 1024^3: %.2f ms = %.1f GFLOP/s on %d core(s)%n", ms.get("gemm1024"),
                gemmFlops / 1e9, threads));
        for (String kernel : new String[]{"negativesScalar", "negativesVector"}) {
            double perSec = threads * (double) batch * r / (ms.get(kernel) / 1e3);
            double flops = perSec * FLOPS_PER_SCORE;
            sb.append(String.format("  %-16s %7.2f ms per batch: %.3g negative scores/s, %.2f GFLOP/s useful,"
                    + " %.3f of the GEMM peak%n", kernel, ms.get(kernel), perSec, flops / 1e9, flops / gemmFlops));
        }
        double batchMs = ms.get("gowallaBatch");
        double allPerSec = threads * (double) batch * (r + 1 + k) / (batchMs / 1e3);
        sb.append(String.format("  whole batch (512 pos x 1500 neg, sampling, positives, 10 item-item terms):"
                        + " %.2f ms, %.3g scores/s, %.3f of peak; SIMD speed-up of the negatives %.2fx%n",
                batchMs, allPerSec, allPerSec * FLOPS_PER_SCORE / gemmFlops,
                ms.get("negativesScalar") / ms.get("negativesVector")));
        double denseMs = ms.get("denseL2AndAdamStep");
        double fusedMs = ms.get("denseFusedL2AndAdamStep");
        // an epoch on 2 cores: the batches' kernels split over 2 cores, the dense step once per batch on one core
        double epochSec = GOWALLA_BATCHES * (batchMs / 2.0 + denseMs) / 1e3;
        double epochFusedSec = GOWALLA_BATCHES * (batchMs / 2.0 + fusedMs) / 1e3;
        sb.append(String.format("  dense per step: L2 pass + Adam %.2f ms, L2 added in Adam's pass %.2f ms%n", denseMs,
                fusedMs));
        sb.append(String.format("  projected official Gowalla epoch on 2 cores (%d batches of 512 x 1500): %.1f s;"
                + " with the L2 folded into Adam %.1f s (goal <= 52 s)%n", GOWALLA_BATCHES, epochSec,
                epochFusedSec));
        return sb.toString();
    }

    /**
     * Median thread-CPU milliseconds per operation, operations interleaved; appends the mean heap bytes each operation
     * allocates to {@code heapReport}.
     */
    private static Map<String, Double> cpuProbe(StringBuilder heapReport) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        UltraGcnKernelJmh bench = new UltraGcnKernelJmh();
        UltraGcnKernelJmh.Batches batches = new UltraGcnKernelJmh.Batches();
        batches.setUp();
        UltraGcnKernelJmh.Kernels kernels = new UltraGcnKernelJmh.Kernels();
        kernels.setUp();
        UltraGcnKernelJmh.Dense dense = new UltraGcnKernelJmh.Dense();
        dense.setUp();
        UltraGcnKernelJmh.Gemm gemm = new UltraGcnKernelJmh.Gemm();
        gemm.setUp();
        String[] names = {"gowallaBatch", "negativesScalar", "negativesVector", "denseL2AndAdamStep",
                "denseFusedL2AndAdamStep", "gemm1024"};
        int rounds = 40;
        double[][] cpu = new double[names.length][rounds];
        long[] allocated = new long[names.length];
        com.sun.management.ThreadMXBean heap = (com.sun.management.ThreadMXBean) tm;
        for (int round = -15; round < rounds; round++) {
            for (int op = 0; op < names.length; op++) {
                long a0 = heap.getCurrentThreadAllocatedBytes();
                long c0 = tm.getCurrentThreadCpuTime();
                switch (op) {
                    case 0 -> bench.gowallaBatch(batches);
                    case 1 -> bench.negativesScalar(kernels);
                    case 2 -> bench.negativesVector(kernels);
                    case 3 -> bench.denseL2AndAdamStep(dense);
                    case 4 -> bench.denseFusedL2AndAdamStep(dense);
                    default -> {
                        bench.gemm1024(gemm);
                        Nd4j.getExecutioner().commit();
                    }
                }
                double ms = (tm.getCurrentThreadCpuTime() - c0) / 1e6;
                if (round >= 0) {
                    cpu[op][round] = ms;
                    allocated[op] += heap.getCurrentThreadAllocatedBytes() - a0;
                }
            }
        }
        gemm.tearDown();
        Map<String, Double> median = new HashMap<>();
        heapReport.append("  heap allocated per operation (after warm-up):");
        for (int op = 0; op < names.length; op++) {
            Arrays.sort(cpu[op]);
            median.put(names[op], cpu[op][rounds / 2]);
            heapReport.append(String.format(" %s %.0f B;", names[op], allocated[op] / (double) rounds));
        }
        heapReport.append(System.lineSeparator());
        return median;
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format("%.1f", l);
    }
}
