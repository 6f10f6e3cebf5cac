package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.lm.GruLanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Throughput of the GRU language model's forward+backward on one thread (a benchmark, not a test). Run with
 * {@code java -cp <test classpath> io.concord.core.pref.GruLmBench [vocab hidden layers batch promptLen compLen]}.
 */
public final class GruLmBench {

    private GruLmBench() {
    }

    public static void main(String[] args) {
        int vocab = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int layers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int promptLen = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int compLen = args.length > 5 ? Integer.parseInt(args[5]) : 40;
        GruLanguageModel lm = new GruLanguageModel(vocab, hidden, layers, 0, 1);
        float[] p = new float[lm.numParams()];
        lm.initParams(p, 1);
        double[] w = GruLanguageModel.widen(p);
        SplittableRandom r = new SplittableRandom(3);
        List<PromptCompletion> seqs = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < batch; i++) {
            int pl = promptLen / 2 + r.nextInt(promptLen + 1);
            int cl = compLen / 2 + r.nextInt(compLen + 1);
            seqs.add(new PromptCompletion(r.ints(pl, 2, vocab).toArray(), r.ints(cl, 2, vocab).toArray()));
            tokens += 1 + pl + cl;
        }
        double[] weights = new double[batch];
        java.util.Arrays.fill(weights, 1.0);
        for (int warm = 0; warm < 5; warm++) {
            lm.forward(w, seqs, null, true).backward(weights, null, null, new double[w.length]);
        }
        int reps = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            lm.forward(w, seqs, null, true).backward(weights, null, null, new double[w.length]);
        }
        double fb = (System.nanoTime() - t0) / 1e9 / reps;
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            lm.forward(w, seqs, null, false);
        }
        double f = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf("params=%d batch=%d tokens=%d  forward+backward %.1f ms (%.0f tokens/s)  forward %.1f ms"
                + " (%.0f tokens/s)%n", lm.numParams(), batch, tokens, fb * 1e3, tokens / fb, f * 1e3, tokens / f);
    }
}
