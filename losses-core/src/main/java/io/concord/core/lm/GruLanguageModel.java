package io.concord.core.lm;

import io.concord.core.param.Checks;
import io.concord.core.param.ConfigSection;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.core.util.StableMath;

import io.concord.core.util.Seeds;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small causal language model with exact backward: a stack of GRU layers over one-hot token inputs and a softmax
 * output layer, written in plain Java (double arithmetic) so that per-sequence log-probabilities, arbitrary
 * per-sequence loss weights and token-level KL terms back-propagate exactly into one flat parameter vector.
 *
 * <p>Sequence layout: the input is {@code [BOS, prompt…, completion…]}; position t predicts token t+1 and the last
 * position predicts EOS. The completion log-probability {@code lp(y) = Σ_{t ≥ |prompt|} log p(x_{t+1} | x_≤t)} covers
 * the completion tokens and the final EOS, so {@code |y| = |completion| + 1}; prompt positions are masked.
 *
 * <p>GRU cell (the cuDNN/PyTorch form, reset gate applied after the recurrent product), gates ordered [z, r, n]:
 * <pre>
 *   z = σ(W_z·x + b_z + U_z·h + c_z)      r = σ(W_r·x + b_r + U_r·h + c_r)
 *   n = tanh(W_n·x + b_n + r ⊙ (U_n·h + c_n))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Layer 0's input product {@code W·x} for a one-hot token is a row lookup (an embedding into gate space).
 *
 * <p>Parameter layout, per layer l (input size V for l = 0, H above): {@code W_l [in × 3H]} row-major,
 * {@code b_l [3H]}, {@code U_l [H × 3H]}, {@code c_l [3H]}; then the output {@code O [H × V]}, {@code o [V]}.
 * Sequences of a batch run in lock-step, longest first, so every time step is a dense matrix product over the still
 * active sequences. Immutable and thread-safe; a pass object holds the activations of one call.
 */
public final class GruLanguageModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int vocab;
    private final int hidden;
    private final int layers;
    private final int bos;
    private final int eos;
    private final int[] wOff;
    private final int[] bOff;
    private final int[] uOff;
    private final int[] cOff;
    private final int oOff;
    private final int obOff;
    private final int numParams;

    /**
     * @param vocab  vocabulary size (a {@link CharVocabulary#size()})
     * @param hidden GRU state size H
     * @param layers number of stacked GRU layers
     * @param bos    id of the begin-of-sequence token
     * @param eos    id of the end-of-sequence token
     */
    public GruLanguageModel(int vocab, int hidden, int layers, int bos, int eos) {
        Checks.atLeast("model.vocabSize", vocab, 2);
        Checks.positive("model.hidden", hidden);
        Checks.positive("model.layers", layers);
        if (bos < 0 || bos >= vocab || eos < 0 || eos >= vocab || bos == eos) {
            throw new IllegalArgumentException("BOS " + bos + " and EOS " + eos + " must be distinct ids in [0, "
                    + vocab + ")");
        }
        this.vocab = vocab;
        this.hidden = hidden;
        this.layers = layers;
        this.bos = bos;
        this.eos = eos;
        wOff = new int[layers];
        bOff = new int[layers];
        uOff = new int[layers];
        cOff = new int[layers];
        long off = 0;
        int g = 3 * hidden;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? vocab : hidden;
            wOff[l] = Math.toIntExact(off);
            off += (long) in * g;
            bOff[l] = Math.toIntExact(off);
            off += g;
            uOff[l] = Math.toIntExact(off);
            off += (long) hidden * g;
            cOff[l] = Math.toIntExact(off);
            off += g;
        }
        oOff = Math.toIntExact(off);
        off += (long) hidden * vocab;
        obOff = Math.toIntExact(off);
        off += vocab;
        numParams = Math.toIntExact(off);
    }

    /** A model over a character vocabulary, with its BOS and EOS. */
    public static GruLanguageModel forVocabulary(CharVocabulary vocabulary, int hidden, int layers) {
        return new GruLanguageModel(vocabulary.size(), hidden, layers, CharVocabulary.BOS, CharVocabulary.EOS);
    }

    /** The {@code model:} keys of {@link #fromConfig}. */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("hidden", 128, Rule.between(1, 4096), "GRU state size H"),
            Param.integer("layers", 1, Rule.between(1, 16), "stacked GRU layers"));

    /**
     * From a config section ({@code model: {hidden: 128, layers: 1}}; the declarations {@link #PARAMS}); errors
     * name the key, unknown keys are rejected.
     */
    public static GruLanguageModel fromConfig(String prefix, Map<String, ?> section,
                                              CharVocabulary vocabulary) {
        ConfigSection c = new ConfigSection(prefix, section);
        ParamTable.Values v = PARAMS.read(c);
        c.rejectUnknown("the GRU language model");
        return forVocabulary(vocabulary, v.integer("hidden"), v.integer("layers"));
    }

    public int vocabSize() {
        return vocab;
    }

    public int hidden() {
        return hidden;
    }

    public int layers() {
        return layers;
    }

    public int eos() {
        return eos;
    }

    public int numParams() {
        return numParams;
    }

    /** Uniform(−1/√H, 1/√H) for every weight and bias (PyTorch's GRU and Linear default), output bias 0. */
    public void initParams(float[] params, long seed) {
        checkLength(params.length);
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0x6A0L));
        double bound = 1.0 / Math.sqrt(hidden);
        for (int i = 0; i < obOff; i++) {
            params[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
        }
        Arrays.fill(params, obOff, numParams, 0f);
    }

    /** Widens float parameters to the double vector every pass works on. */
    public static double[] widen(float[] params) {
        double[] w = new double[params.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = params[i];
        }
        return w;
    }

    /** Summed completion log-probabilities under {@code params}, no gradient. */
    public double[] logProbs(float[] params, List<PromptCompletion> sequences) {
        return forward(widen(params), sequences, null, false).logProbs();
    }

    /**
     * Forward pass. {@code fullDistributions[i]} (may be null) asks for the next-token log-distribution at every
     * position of sequence i (for KL terms); {@code forBackward} keeps the activations for {@link Pass#backward}.
     */
    public Pass forward(double[] params, List<PromptCompletion> sequences, boolean[] fullDistributions,
                        boolean forBackward) {
        checkLength(params.length);
        return new Pass(params, sequences, fullDistributions, forBackward);
    }

    private void checkLength(int length) {
        if (length != numParams) {
            throw new IllegalArgumentException("parameter vector has length " + length + ", model needs " + numParams);
        }
    }

    /**
     * Samples {@code k} completions of {@code prompt} (ids without BOS/EOS), each stopping at EOS or after
     * {@code maxTokens}. {@code temperature = 0} is greedy decoding (all k identical); otherwise tokens are drawn from
     * softmax(logits / temperature) with {@code random}, so a fixed seed gives the same samples.
     */
    public int[][] sample(float[] params, int[] prompt, int k, double temperature, int maxTokens,
                          SplittableRandom random) {
        if (k < 1 || maxTokens < 0 || !(temperature >= 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("sampling needs k >= 1, maxTokens >= 0 and a finite temperature >= 0;"
                    + " got " + k + ", " + maxTokens + ", " + temperature);
        }
        double[] w = widen(params);
        checkTokens(prompt, "prompt");
        double[][] h = new double[layers][k * hidden];
        int[] input = new int[k];
        Arrays.fill(input, bos);
        for (int t = 0; t <= prompt.length; t++) {
            if (t > 0) {
                Arrays.fill(input, prompt[t - 1]);
            }
            stepAll(w, input, h, k);
        }
        int[][] out = new int[k][maxTokens];
        int[] lengths = new int[k];
        boolean[] done = new boolean[k];
        double[] logits = new double[vocab];
        for (int step = 0; step < maxTokens; step++) {
            boolean any = false;
            for (int s = 0; s < k; s++) {
                if (done[s]) {
                    input[s] = eos;
                    continue;
                }
                outputLogits(w, h[layers - 1], s * hidden, logits, 0);
                int next = temperature == 0.0 ? argmax(logits) : draw(logits, temperature, random);
                if (next == eos) {
                    done[s] = true;
                    input[s] = eos;
                    continue;
                }
                out[s][lengths[s]++] = next;
                input[s] = next;
                any = true;
            }
            if (!any) {
                break;
            }
            if (step + 1 < maxTokens) {
                stepAll(w, input, h, k);
            }
        }
        int[][] result = new int[k][];
        for (int s = 0; s < k; s++) {
            result[s] = Arrays.copyOf(out[s], lengths[s]);
        }
        return result;
    }

    /** Next-token log-distribution after {@code [BOS, tokens…]} (a one-sequence forward, for tests and inspection). */
    public double[] nextTokenLogProbs(float[] params, int[] tokens) {
        double[] w = widen(params);
        checkTokens(tokens, "tokens");
        double[][] h = new double[layers][hidden];
        int[] input = {bos};
        stepAll(w, input, h, 1);
        for (int token : tokens) {
            input[0] = token;
            stepAll(w, input, h, 1);
        }
        double[] logits = new double[vocab];
        outputLogits(w, h[layers - 1], 0, logits, 0);
        logSoftmaxInPlace(logits, 0);
        return logits;
    }

    private void stepAll(double[] w, int[] input, double[][] h, int rows) {
        int g = 3 * hidden;
        double[] gx = new double[rows * g];
        double[] gh = new double[rows * g];
        double[] below = null;
        for (int l = 0; l < layers; l++) {
            inputGates(w, l, input, below, rows, gx);
            recurrentGates(w, l, h[l], rows, gh);
            double[] next = new double[rows * hidden];
            for (int b = 0; b < rows; b++) {
                for (int j = 0; j < hidden; j++) {
                    int gi = b * g + j;
                    double z = StableMath.sigmoid(gx[gi] + gh[gi]);
                    double r = StableMath.sigmoid(gx[gi + hidden] + gh[gi + hidden]);
                    double n = Math.tanh(gx[gi + 2 * hidden] + r * gh[gi + 2 * hidden]);
                    next[b * hidden + j] = (1 - z) * n + z * h[l][b * hidden + j];
                }
            }
            System.arraycopy(next, 0, h[l], 0, rows * hidden);
            below = next;
        }
    }

    /** gx = W_l·x + b_l for the first {@code rows} rows (layer 0: row lookup of the input tokens). */
    private void inputGates(double[] w, int l, int[] tokens, double[] below, int rows, double[] gx) {
        int g = 3 * hidden;
        for (int b = 0; b < rows; b++) {
            System.arraycopy(w, bOff[l], gx, b * g, g);
        }
        if (l == 0) {
            for (int b = 0; b < rows; b++) {
                int row = wOff[0] + tokens[b] * g;
                int base = b * g;
                for (int j = 0; j < g; j++) {
                    gx[base + j] += w[row + j];
                }
            }
        } else {
            Dense.mulAdd(below, rows, hidden, w, wOff[l], g, gx);
        }
    }

    /** gh = U_l·h + c_l for the first {@code rows} rows. */
    private void recurrentGates(double[] w, int l, double[] h, int rows, double[] gh) {
        int g = 3 * hidden;
        for (int b = 0; b < rows; b++) {
            System.arraycopy(w, cOff[l], gh, b * g, g);
        }
        Dense.mulAdd(h, rows, hidden, w, uOff[l], g, gh);
    }

    private void outputLogits(double[] w, double[] h, int hOffset, double[] logits, int lOffset) {
        System.arraycopy(w, obOff, logits, lOffset, vocab);
        for (int k = 0; k < hidden; k++) {
            double a = h[hOffset + k];
            if (a == 0.0) {
                continue;
            }
            int row = oOff + k * vocab;
            for (int j = 0; j < vocab; j++) {
                logits[lOffset + j] += a * w[row + j];
            }
        }
    }

    private void logSoftmaxInPlace(double[] v, int offset) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, v[offset + j]);
        }
        double s = 0.0;
        for (int j = 0; j < vocab; j++) {
            s += Math.exp(v[offset + j] - max);
        }
        double lse = max + Math.log(s);
        for (int j = 0; j < vocab; j++) {
            v[offset + j] -= lse;
        }
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    private static int draw(double[] logits, double temperature, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double s = 0.0;
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp((logits[j] - max) / temperature);
            s += p[j];
        }
        double u = random.nextDouble() * s;
        double acc = 0.0;
        for (int j = 0; j < p.length; j++) {
            acc += p[j];
            if (u < acc) {
                return j;
            }
        }
        return argmax(logits);
    }

    private void checkTokens(int[] tokens, String what) {
        for (int t : tokens) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException(what + " token id " + t + " is outside the vocabulary [0, " + vocab
                        + ")");
            }
        }
    }

    /**
     * Activations of one forward pass over a batch of sequences, and its backward pass.
     */
    public final class Pass {

        private final double[] w;
        private final int count;
        private final int[] order;
        private final int[][] tokens;
        private final int[] promptLength;
        private final int[] length;
        private final boolean[] full;
        private final int[] active;
        private final double[] logProbs;
        /** Per layer, per time step: h (active × H), z, r, n and U_n·h + c_n, kept when forBackward. */
        private final double[][][] hs;
        private final double[][][] zs;
        private final double[][][] rs;
        private final double[][][] ns;
        private final double[][][] ghn;
        /** Per time step: log-distributions (rows × V) of the rows that needed an output, and those rows. */
        private final double[][] outLogp;
        private final int[][] outRows;

        private Pass(double[] w, List<PromptCompletion> sequences, boolean[] fullDistributions, boolean keep) {
            this.w = w;
            count = sequences.size();
            if (fullDistributions != null && fullDistributions.length != count) {
                throw new IllegalArgumentException("fullDistributions needs one flag per sequence");
            }
            Integer[] idx = new Integer[count];
            int[] rawLength = new int[count];
            for (int i = 0; i < count; i++) {
                idx[i] = i;
                PromptCompletion s = sequences.get(i);
                checkTokens(s.prompt(), "sequence " + i + " prompt");
                checkTokens(s.completion(), "sequence " + i + " completion");
                rawLength[i] = 1 + s.prompt().length + s.completion().length;
            }
            Arrays.sort(idx, (a, b) -> rawLength[b] != rawLength[a] ? Integer.compare(rawLength[b], rawLength[a])
                    : Integer.compare(a, b));
            order = new int[count];
            tokens = new int[count][];
            promptLength = new int[count];
            length = new int[count];
            full = new boolean[count];
            for (int s = 0; s < count; s++) {
                int i = idx[s];
                order[s] = i;
                PromptCompletion pc = sequences.get(i);
                int[] x = new int[rawLength[i]];
                x[0] = bos;
                System.arraycopy(pc.prompt(), 0, x, 1, pc.prompt().length);
                System.arraycopy(pc.completion(), 0, x, 1 + pc.prompt().length, pc.completion().length);
                tokens[s] = x;
                promptLength[s] = pc.prompt().length;
                length[s] = x.length;
                full[s] = fullDistributions != null && fullDistributions[i];
            }
            int steps = count == 0 ? 0 : length[0];
            active = new int[steps];
            for (int t = 0; t < steps; t++) {
                int a = 0;
                while (a < count && length[a] > t) {
                    a++;
                }
                active[t] = a;
            }
            logProbs = new double[count];
            hs = keep ? new double[layers][steps][] : null;
            zs = keep ? new double[layers][steps][] : null;
            rs = keep ? new double[layers][steps][] : null;
            ns = keep ? new double[layers][steps][] : null;
            ghn = keep ? new double[layers][steps][] : null;
            outLogp = new double[steps][];
            outRows = new int[steps][];
            run(keep, steps);
        }

        private void run(boolean keep, int steps) {
            int g = 3 * hidden;
            double[][] h = new double[layers][count * hidden];
            int[] input = new int[count];
            double[] lpSorted = new double[count];
            for (int t = 0; t < steps; t++) {
                int rows = active[t];
                for (int b = 0; b < rows; b++) {
                    input[b] = tokens[b][t];
                }
                double[] below = null;
                double[] gx = new double[rows * g];
                double[] gh = new double[rows * g];
                for (int l = 0; l < layers; l++) {
                    inputGates(w, l, input, below, rows, gx);
                    recurrentGates(w, l, h[l], rows, gh);
                    double[] hNew = new double[rows * hidden];
                    double[] z = keep ? new double[rows * hidden] : null;
                    double[] r = keep ? new double[rows * hidden] : null;
                    double[] n = keep ? new double[rows * hidden] : null;
                    double[] un = keep ? new double[rows * hidden] : null;
                    double[] hl = h[l];
                    for (int b = 0; b < rows; b++) {
                        for (int j = 0; j < hidden; j++) {
                            int gi = b * g + j;
                            int hi = b * hidden + j;
                            double zv = StableMath.sigmoid(gx[gi] + gh[gi]);
                            double rv = StableMath.sigmoid(gx[gi + hidden] + gh[gi + hidden]);
                            double u = gh[gi + 2 * hidden];
                            double nv = Math.tanh(gx[gi + 2 * hidden] + rv * u);
                            hNew[hi] = (1 - zv) * nv + zv * hl[hi];
                            if (keep) {
                                z[hi] = zv;
                                r[hi] = rv;
                                n[hi] = nv;
                                un[hi] = u;
                            }
                        }
                    }
                    System.arraycopy(hNew, 0, hl, 0, rows * hidden);
                    if (keep) {
                        hs[l][t] = hNew;
                        zs[l][t] = z;
                        rs[l][t] = r;
                        ns[l][t] = n;
                        ghn[l][t] = un;
                    }
                    below = hNew;
                }
                int outs = 0;
                int[] rowsOut = new int[rows];
                for (int b = 0; b < rows; b++) {
                    if (t >= promptLength[b] || full[b]) {
                        rowsOut[outs++] = b;
                    }
                }
                if (outs == 0) {
                    continue;
                }
                double[] top = h[layers - 1];
                double[] logp = new double[outs * vocab];
                for (int o = 0; o < outs; o++) {
                    outputLogits(w, top, rowsOut[o] * hidden, logp, o * vocab);
                    logSoftmaxInPlace(logp, o * vocab);
                    int b = rowsOut[o];
                    if (t >= promptLength[b]) {
                        lpSorted[b] += logp[o * vocab + target(b, t)];
                    }
                }
                outLogp[t] = logp;
                outRows[t] = Arrays.copyOf(rowsOut, outs);
            }
            for (int s = 0; s < count; s++) {
                logProbs[order[s]] = lpSorted[s];
            }
        }

        private int target(int sortedRow, int t) {
            return t + 1 < length[sortedRow] ? tokens[sortedRow][t + 1] : eos;
        }

        /** Summed completion log-probability per sequence, in the caller's order. */
        public double[] logProbs() {
            return logProbs.clone();
        }

        /** Completion token counts {@code |y| = |completion| + 1} (EOS included), in the caller's order. */
        public int[] completionTokens() {
            int[] c = new int[count];
            for (int s = 0; s < count; s++) {
                c[order[s]] = length[s] - promptLength[s];
            }
            return c;
        }

        /**
         * {@code Σ_i coefficient[i]·(1/T_i)·Σ_t KL(reference_t ‖ this_t)} over all {@code T_i} positions of the
         * sequences with a non-zero coefficient; both passes must have been run with those full distributions.
         */
        public double klTo(Pass reference, double[] coefficients) {
            double total = 0.0;
            int[] sortedOf = inverseOrder();
            int[] refSortedOf = reference.inverseOrder();
            for (int i = 0; i < count; i++) {
                double c = coefficients[i];
                if (c == 0.0) {
                    continue;
                }
                int b = sortedOf[i];
                int rb = refSortedOf[i];
                double kl = 0.0;
                for (int t = 0; t < length[b]; t++) {
                    int o = outIndex(t, b);
                    int ro = reference.outIndex(t, rb);
                    for (int j = 0; j < vocab; j++) {
                        double lr = reference.outLogp[t][ro * vocab + j];
                        kl += Math.exp(lr) * (lr - outLogp[t][o * vocab + j]);
                    }
                }
                total += c * kl / length[b];
            }
            return total;
        }

        /**
         * Adds into {@code grad} the gradient of {@code Σ_i dLogProb[i]·lp(y_i)} plus, when {@code reference} and
         * {@code klCoefficients} are given, of {@link #klTo(Pass, double[])}. Needs a pass run with
         * {@code forBackward}.
         */
        public void backward(double[] dLogProb, Pass reference, double[] klCoefficients, double[] grad) {
            if (hs == null) {
                throw new IllegalStateException("forward pass was run without forBackward");
            }
            if (dLogProb.length != count || grad.length != numParams) {
                throw new IllegalArgumentException("backward needs " + count + " weights and a gradient of length "
                        + numParams);
            }
            int g = 3 * hidden;
            double[] weightSorted = new double[count];
            double[] klSorted = new double[count];
            int[] refRow = new int[count];
            int[] refInverse = reference == null ? null : reference.inverseOrder();
            for (int s = 0; s < count; s++) {
                weightSorted[s] = dLogProb[order[s]];
                if (klCoefficients != null && klCoefficients[order[s]] != 0.0) {
                    if (reference == null || !full[s]) {
                        throw new IllegalArgumentException("KL term needs full distributions of sequence " + order[s]
                                + " in both passes");
                    }
                    klSorted[s] = klCoefficients[order[s]] / length[s];
                    refRow[s] = refInverse[order[s]];
                }
            }
            int steps = active.length;
            double[][] dhNext = new double[layers][count * hidden];
            double[] dlogits = new double[vocab];
            for (int t = steps - 1; t >= 0; t--) {
                int rows = active[t];
                double[] dTop = new double[rows * hidden];
                System.arraycopy(dhNext[layers - 1], 0, dTop, 0, rows * hidden);
                double[] top = hs[layers - 1][t];
                if (outRows[t] != null) {
                    int[] outs = outRows[t];
                    double[] logp = outLogp[t];
                    for (int o = 0; o < outs.length; o++) {
                        int b = outs[o];
                        boolean any = false;
                        Arrays.fill(dlogits, 0.0);
                        double wt = t >= promptLength[b] ? weightSorted[b] : 0.0;
                        if (wt != 0.0) {
                            for (int j = 0; j < vocab; j++) {
                                dlogits[j] = -wt * Math.exp(logp[o * vocab + j]);
                            }
                            dlogits[target(b, t)] += wt;
                            any = true;
                        }
                        if (klSorted[b] != 0.0) {
                            int ro = reference.outIndex(t, refRow[b]);
                            double[] rl = reference.outLogp[t];
                            for (int j = 0; j < vocab; j++) {
                                dlogits[j] += klSorted[b] * (Math.exp(logp[o * vocab + j]) - Math.exp(rl[ro * vocab + j]));
                            }
                            any = true;
                        }
                        if (!any) {
                            continue;
                        }
                        for (int j = 0; j < vocab; j++) {
                            grad[obOff + j] += dlogits[j];
                        }
                        for (int k = 0; k < hidden; k++) {
                            double a = top[b * hidden + k];
                            int row = oOff + k * vocab;
                            double acc = 0.0;
                            for (int j = 0; j < vocab; j++) {
                                grad[row + j] += a * dlogits[j];
                                acc += w[row + j] * dlogits[j];
                            }
                            dTop[b * hidden + k] += acc;
                        }
                    }
                }
                double[] dh = dTop;
                for (int l = layers - 1; l >= 0; l--) {
                    if (l < layers - 1) {
                        for (int i = 0; i < rows * hidden; i++) {
                            dh[i] += dhNext[l][i];
                        }
                    }
                    double[] z = zs[l][t];
                    double[] r = rs[l][t];
                    double[] n = ns[l][t];
                    double[] un = ghn[l][t];
                    double[] hPrev = t > 0 ? hs[l][t - 1] : null;
                    double[] dgx = new double[rows * g];
                    double[] dgh = new double[rows * g];
                    double[] dhPrev = new double[rows * hidden];
                    for (int b = 0; b < rows; b++) {
                        for (int j = 0; j < hidden; j++) {
                            int hi = b * hidden + j;
                            int gi = b * g + j;
                            double d = dh[hi];
                            double zv = z[hi];
                            double nv = n[hi];
                            double rv = r[hi];
                            double hp = hPrev == null ? 0.0 : hPrev[hi];
                            double dn = d * (1 - zv);
                            double dz = d * (hp - nv);
                            dhPrev[hi] = d * zv;
                            double dan = dn * (1 - nv * nv);
                            double dar = dan * un[hi] * rv * (1 - rv);
                            double daz = dz * zv * (1 - zv);
                            dgx[gi] = daz;
                            dgx[gi + hidden] = dar;
                            dgx[gi + 2 * hidden] = dan;
                            dgh[gi] = daz;
                            dgh[gi + hidden] = dar;
                            dgh[gi + 2 * hidden] = dan * rv;
                        }
                    }
                    for (int b = 0; b < rows; b++) {
                        int base = b * g;
                        for (int j = 0; j < g; j++) {
                            grad[cOff[l] + j] += dgh[base + j];
                            grad[bOff[l] + j] += dgx[base + j];
                        }
                    }
                    if (hPrev != null) {
                        Dense.transposeMulAdd(hPrev, rows, hidden, dgh, g, grad, uOff[l]);
                        Dense.mulTransposeAdd(dgh, rows, g, w, uOff[l], hidden, dhPrev);
                    }
                    if (l == 0) {
                        for (int b = 0; b < rows; b++) {
                            int row = wOff[0] + tokens[b][t] * g;
                            int base = b * g;
                            for (int j = 0; j < g; j++) {
                                grad[row + j] += dgx[base + j];
                            }
                        }
                    } else {
                        double[] below = hs[l - 1][t];
                        Dense.transposeMulAdd(below, rows, hidden, dgx, g, grad, wOff[l]);
                        double[] dBelow = new double[rows * hidden];
                        Dense.mulTransposeAdd(dgx, rows, g, w, wOff[l], hidden, dBelow);
                        dh = dBelow;
                    }
                    System.arraycopy(dhPrev, 0, dhNext[l], 0, rows * hidden);
                }
            }
        }

        private int outIndex(int t, int sortedRow) {
            int[] rows = outRows[t];
            if (rows != null) {
                for (int o = 0; o < rows.length; o++) {
                    if (rows[o] == sortedRow) {
                        return o;
                    }
                }
            }
            throw new IllegalStateException("no output distribution kept for position " + t);
        }

        private int[] inverseOrder() {
            int[] inv = new int[count];
            for (int s = 0; s < count; s++) {
                inv[order[s]] = s;
            }
            return inv;
        }
    }
}
