package io.concord.core.ultragcn.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link UltraGcnKernelBenchmark} with 1 and 2 threads and prints scores per second, the GEMM fp32 peak, the
 * ratio of the kernel's useful flops to that peak, and the projected Gowalla epoch time.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp losses-core/target/test-classes:losses-core/target/classes:$(cat cp.txt) \
 *     io.concord.core.ultragcn.bench.UltraGcnKernelBench [threads...]
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
        int[] threadCounts = args.length == 0 ? new int[]{1, 2} : java.util.Arrays.stream(args)
                .mapToInt(Integer::parseInt).toArray();
        int batch = UltraGcnKernelBenchmark.PRESET.batchSize();
        int r = UltraGcnKernelBenchmark.PRESET.objective().negativeNum();
        int k = UltraGcnKernelBenchmark.PRESET.objective().iiNeighborNum();
        StringBuilder report = new StringBuilder();
        for (int threads : threadCounts) {
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
            double batchMs = ms.get("gowallaBatch");
            double denseMs = ms.get("denseL2AndAdamStep");
            double gemmMs = ms.get("gemm1024");
            double negPerSec = threads * (double) batch * r / (batchMs / 1e3);
            double posPerSec = threads * (double) batch * (1 + k) / (batchMs / 1e3);
            double kernelFlops = threads * batch * (r + 1 + k) * FLOPS_PER_SCORE / (batchMs / 1e3);
            double gemmFlops = threads * 2.0 * Math.pow(1024, 3) / (gemmMs / 1e3);
            // epoch: the batches split over `threads` cores, plus the dense step once per batch on one core
            double epochSec = GOWALLA_BATCHES * (batchMs / threads + denseMs) / 1e3;
            report.append(String.format("threads %d: batch %.1f ms, dense step %.2f ms, gemm1024 %.2f ms%n"
                            + "  negative scores/s %.3g, positive+item-item scores/s %.3g%n"
                            + "  kernel %.2f GFLOP/s useful vs fp32 GEMM peak %.1f GFLOP/s: ratio %.3f%n"
                            + "  projected Gowalla epoch (%d batches): %.1f s (goal <= 52 s)%n",
                    threads, batchMs, denseMs, gemmMs, negPerSec, posPerSec, kernelFlops / 1e9, gemmFlops / 1e9,
                    kernelFlops / gemmFlops, GOWALLA_BATCHES, epochSec));
        }
        System.out.print(report);
    }
}
