package io.concord.data.pref;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.core.pref.AftLoss;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.DpoLoss;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.RankedResponses;
import io.concord.core.pref.SequenceGroup;
import io.concord.core.pref.SequenceObjective;
import io.concord.core.pref.SftLoss;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-JVM dry run of the reasoning pipeline (a demonstration of the pieces fitting together, not the
 * distributed job): SFT on generated arithmetic → sample k responses per training question → groups by answer
 * correctness → continue with DPO, AFT or more SFT from the same checkpoint for the same number of steps → held-out
 * greedy accuracy of each. Arguments: {@code [seed hidden sftSteps armSteps k]}.
 */
public final class ReasoningDemo {

    private ReasoningDemo() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int sftSteps = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int armSteps = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int batch = 32;

        ArithmeticTask task = ArithmeticTask.addition(2, 2);
        List<ArithmeticProblem> train = new ArrayList<>();
        List<ArithmeticProblem> heldOut = new ArrayList<>();
        for (ArithmeticProblem p : task.generate(seed, 0, 4000)) {
            (ArithmeticTask.isHeldOut(p.question(), 0.1) ? heldOut : train).add(p);
        }
        heldOut = heldOut.subList(0, Math.min(200, heldOut.size()));
        List<String> corpus = new ArrayList<>();
        for (ArithmeticProblem p : train.subList(0, 500)) {
            corpus.add(p.prompt());
            corpus.add(p.solution());
        }
        CharVocabulary vocab = CharVocabulary.build(corpus, 200, 1);
        TextEncoder enc = new TextEncoder(vocab, 32, 96);
        GruLanguageModel lm = GruLanguageModel.forVocabulary(vocab, hidden, 1);
        System.out.printf("vocab=%d params=%d train=%d heldOut=%d%n", vocab.size(), lm.numParams(), train.size(),
                heldOut.size());

        List<PromptCompletion> sftData = new ArrayList<>();
        for (ArithmeticProblem p : train) {
            sftData.add(enc.encode(p.prompt(), p.solution()));
        }
        PreferenceModel<PromptCompletion> sft = new PreferenceModel<>(lm,
                new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        float[] params = new float[lm.numParams()];
        sft.initParams(params, seed);
        long t0 = System.nanoTime();
        train(sft, sftData, params, sftSteps, batch, 3e-3, seed);
        System.out.printf("SFT %d steps: %.1f s, held-out accuracy %.3f%n", sftSteps, (System.nanoTime() - t0) / 1e9,
                accuracy(lm, enc, params, heldOut));

        // sample k responses per training question and group them by correctness (+ the reference solution)
        List<RankedResponses> groups = new ArrayList<>();
        List<PreferencePair> pairs = new ArrayList<>();
        int correct = 0;
        int total = 0;
        List<ArithmeticProblem> sampled = train.subList(0, 400);
        for (ArithmeticProblem p : sampled) {
            int[] prompt = enc.prompt(p.prompt());
            int[][] samples = lm.sample(params, prompt, k, 0.8, 96, Seeds.stream(seed, 0x5A, p.index()));
            int[][] responses = new int[k + 1][];
            double[] scores = new double[k + 1];
            responses[0] = enc.completion(p.solution());
            scores[0] = 1;
            for (int i = 0; i < k; i++) {
                responses[i + 1] = samples[i];
                scores[i + 1] = p.isCorrect(vocab.decode(samples[i])) ? 1 : 0;
                correct += (int) scores[i + 1];
                total++;
            }
            RankedResponses g = RankedResponses.distinct(prompt, responses, scores);
            groups.add(g);
            pairs.addAll(g.pairs());
        }
        System.out.printf("sampled %d responses, %.3f correct; %d groups, %d DPO pairs%n", total,
                (double) correct / total, groups.size(), pairs.size());

        float[] reference = params.clone();
        float[] dpoParams = params.clone();
        train(new PreferenceModel<>(lm, new DpoLoss(0.1, 0.0), List.of(reference)), pairs, dpoParams, armSteps, batch,
                1e-3, seed + 1);
        float[] aftParams = params.clone();
        train(new PreferenceModel<>(lm, new AftLoss(AftLoss.Variant.BC, 0.5, true, 1.0), List.of()), groups,
                aftParams, armSteps, batch, 1e-3, seed + 1);
        float[] sftParams = params.clone();
        train(sft, sftData, sftParams, armSteps, batch, 1e-3, seed + 1);
        System.out.printf("after %d more steps: DPO %.3f  AFT(bc) %.3f  SFT %.3f%n", armSteps,
                accuracy(lm, enc, dpoParams, heldOut), accuracy(lm, enc, aftParams, heldOut),
                accuracy(lm, enc, sftParams, heldOut));
    }

    static <R extends SequenceGroup> void train(PreferenceModel<R> model, List<R> data, float[] params, int steps,
                                                int batch, double lr, long seed) {
        Adam adam = Adam.adam(lr);
        float[] state = new float[adam.stateSize(params.length)];
        adam.initialiseState(state, params);
        SplittableRandom random = Seeds.stream(seed, 0xB47C);
        for (int t = 1; t <= steps; t++) {
            List<R> b = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                b.add(data.get(random.nextInt(data.size())));
            }
            float[] g = new float[params.length];
            BatchLoss loss = model.accumulateGradient(params, b, g, SimpleStepContext.of(seed, t));
            for (int i = 0; i < g.length; i++) {
                g[i] /= (float) loss.weight();
            }
            adam.step(params, g, state, t);
            if (t % 100 == 0) {
                SequenceObjective o = model.objective();
                System.out.printf("  %s step %d loss %.4f%n", o.name(), t, loss.meanLoss());
            }
        }
    }

    static double accuracy(GruLanguageModel lm, TextEncoder enc, float[] params, List<ArithmeticProblem> problems) {
        int ok = 0;
        for (ArithmeticProblem p : problems) {
            int[][] s = lm.sample(params, enc.prompt(p.prompt()), 1, 0.0, 96, new SplittableRandom(0));
            ok += p.isCorrect(enc.vocabulary().decode(s[0])) ? 1 : 0;
        }
        return (double) ok / problems.size();
    }
}
