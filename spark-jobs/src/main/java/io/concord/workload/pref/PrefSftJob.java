package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.lm.PromptCompletion;
import io.concord.core.optim.Optimizer;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.SftLoss;
import io.concord.data.io.InputFiles;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.ChatTemplate;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextPair;
import io.concord.data.pref.TofuQa;
import io.concord.job.Components;
import io.concord.job.Evaluator;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.TofuTables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pref-sft}: supervised fine-tuning of the GRU language model through the Concord engine, on the generated
 * arithmetic task (worked solutions), on TOFU question–answer pairs, or on the chosen completions of a pairs file.
 * Writes {@code model/params.bin}, {@code model/vocabulary.txt} and {@code model/lm.json} for the later stages.
 */
public final class PrefSftJob implements Job<PrefSftConfig> {

    @Override
    public String name() {
        return "pref-sft";
    }

    @Override
    public String description() {
        return "SFT of a small GRU LM on arithmetic solutions, TOFU QA or chosen completions (preference stage 1)";
    }

    @Override
    public Class<PrefSftConfig> configType() {
        return PrefSftConfig.class;
    }

    @Override
    public void validate(PrefSftConfig config) {
        Components.optimizer(config.optimizer());
        if (config.init() != null && config.data().vocabulary() != null) {
            throw new ConfigException("data.vocabulary", "cannot be combined with init (the starting point brings "
                    + "its own vocabulary)");
        }
    }

    @Override
    public void checkInputs(PrefSftConfig config, Configuration hadoopConf) {
        PrefSftConfig.Data d = config.data();
        if (d.source().equals("pairs") && d.tableSource() == null) {
            InputFiles.list(new Path(d.path()), hadoopConf);
        } else if (d.source().equals("tofu") && d.tofuSources().isEmpty()) {
            for (String split : d.splits()) {
                InputFiles.list(new Path(TofuTables.name(d.path(), split, ".json")), hadoopConf);
            }
        }
        if (config.init() != null) {
            ModelFiles.checkExists(config.init(), "init", hadoopConf);
        }
    }

    @Override
    public JobResult run(PrefSftConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        PrefSftConfig.Data d = config.data();
        Source source = switch (d.source()) {
            case "tofu" -> tofu(ctx, d);
            case "pairs" -> pairs(ctx, d);
            default -> arithmetic(sc, config.arithmetic());
        };
        ModelSetup setup = ModelSetup.resolve(config.model(), config.init(), sc.hadoopConfiguration(), () ->
                d.vocabulary() != null ? PrefData.loadVocabulary(sc, d.vocabulary())
                        : PrefData.vocabulary(source.texts, d.maxCharacters()));
        TextEncoder encoder = new TextEncoder(setup.vocabulary(), d.maxPromptTokens(), d.maxCompletionTokens());
        JavaRDD<PromptCompletion> records = source.records(encoder);
        PreferenceModel<PromptCompletion> model = new PreferenceModel<>(setup.lm(),
                new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        Optimizer optimizer = Components.optimizer(config.optimizer());

        List<JavaRDD<?>> cached = new ArrayList<>();
        Evaluator evaluator = source.evaluator(sc, setup, encoder, d, config.arithmetic(), cached);
        JobResult result = new PrefTraining<>(ctx, model, setup.initial(), optimizer, config.train(), config.seed(),
                evaluator, config.eval(), source.defaultMetric)
                .detail("source", d.source())
                .detail("init", setup.initFiles())
                .run(records, source.name, setup.lm(), setup.vocabulary());
        cached.forEach(r -> r.unpersist(false));
        return result;
    }

    /** One SFT data source: texts for the vocabulary, records, and how to evaluate. */
    private abstract static class Source {
        final String name;
        final JavaRDD<String> texts;
        final String defaultMetric;

        Source(String name, JavaRDD<String> texts, String defaultMetric) {
            this.name = name;
            this.texts = texts;
            this.defaultMetric = defaultMetric;
        }

        abstract JavaRDD<PromptCompletion> records(TextEncoder encoder);

        abstract Evaluator evaluator(JavaSparkContext sc, ModelSetup setup, TextEncoder encoder, PrefSftConfig.Data d,
                                     ArithmeticSection a, List<JavaRDD<?>> cached);
    }

    private static Source arithmetic(JavaSparkContext sc, ArithmeticSection a) {
        JavaRDD<ArithmeticProblem> train = PrefData.arithmeticTrain(sc, a);
        return new Source("generated arithmetic task", train.flatMap(p -> List.of(p.prompt(), p.solution()).iterator()),
                "task.accuracy") {
            @Override
            JavaRDD<PromptCompletion> records(TextEncoder encoder) {
                return train.map(p -> encoder.encode(p.prompt(), p.solution()));
            }

            @Override
            Evaluator evaluator(JavaSparkContext sc, ModelSetup setup, TextEncoder encoder, PrefSftConfig.Data d,
                                ArithmeticSection a, List<JavaRDD<?>> cached) {
                return arithmeticEvaluator(sc, setup, encoder, a, cached);
            }
        };
    }

    /** Held-out greedy accuracy and held-out solution likelihood of the arithmetic task (also used by pref-align). */
    static Evaluator arithmeticEvaluator(JavaSparkContext sc, ModelSetup setup, TextEncoder encoder,
                                         ArithmeticSection a, List<JavaRDD<?>> cached) {
        List<ArithmeticProblem> heldOut = a.heldOutProblems();
        int parts = sc.defaultParallelism();
        JavaRDD<ArithmeticProblem> questions = sc.parallelize(heldOut, parts).cache();
        JavaRDD<PromptCompletion> solutions = questions.map(p -> encoder.encode(p.prompt(), p.solution())).cache();
        cached.add(questions);
        cached.add(solutions);
        ArithmeticEvaluator task = new ArithmeticEvaluator(setup.lm(), encoder, a.maxNewTokens());
        LikelihoodEvaluator likelihood = new LikelihoodEvaluator(setup.lm(), setup.vocabulary(), "heldout", false, 0);
        return PrefTraining.combine(List.of(
                (params, round) -> task.evaluate(sc, questions, params),
                (params, round) -> likelihood.evaluate(sc, solutions, params)));
    }

    private static Source tofu(JobContext ctx, PrefSftConfig.Data d) {
        List<TableSource> tables = d.tofuSources();
        JavaRDD<TofuQa> qa = PrefData.tofu(ctx.spark(), tables, d.tofuColumns(), d.path(), d.splits(), d.reading());
        return new Source("TOFU " + (tables.isEmpty() ? d.path() : tables.get(0).format().key() + " "
                + (d.table() != null ? d.table() : d.path())) + " " + d.splits(),
                qa.flatMap(q -> List.of(ChatTemplate.question(q.question()), q.answer())
                        .iterator()), "tofu.loglik") {
            @Override
            JavaRDD<PromptCompletion> records(TextEncoder encoder) {
                return qa.map(encoder::encode);
            }

            @Override
            Evaluator evaluator(JavaSparkContext sc, ModelSetup setup, TextEncoder encoder, PrefSftConfig.Data d,
                                ArithmeticSection a, List<JavaRDD<?>> cached) {
                List<PromptCompletion> sample = qa.take(d.evalExamples()).stream().map(encoder::encode).toList();
                JavaRDD<PromptCompletion> data = sc.parallelize(sample, sc.defaultParallelism()).cache();
                cached.add(data);
                LikelihoodEvaluator e = new LikelihoodEvaluator(setup.lm(), setup.vocabulary(), "tofu",
                        d.generate(), d.maxCompletionTokens());
                return (params, round) -> e.evaluate(sc, data, params);
            }
        };
    }

    private static Source pairs(JobContext ctx, PrefSftConfig.Data d) {
        double fraction = d.heldOutFraction();
        JavaRDD<TextPair> all = PrefData.pairs(ctx.spark(), d.tableSource(), d.pairColumns(), d.path(),
                d.reading());
        JavaRDD<TextPair> train = all.filter(p -> !HeldOut.isHeldOut(p.prompt(), fraction));
        JavaRDD<TextPair> heldOut = all.filter(p -> HeldOut.isHeldOut(p.prompt(), fraction));
        return new Source(d.describe(), train.flatMap(p -> List.of(p.prompt(), p.chosen(), p.rejected()).iterator()),
                "heldout.loglik") {
            @Override
            JavaRDD<PromptCompletion> records(TextEncoder encoder) {
                return train.map(p -> encoder.encode(p.prompt(), p.chosen()));
            }

            @Override
            Evaluator evaluator(JavaSparkContext sc, ModelSetup setup, TextEncoder encoder, PrefSftConfig.Data d,
                                ArithmeticSection a, List<JavaRDD<?>> cached) {
                JavaRDD<PreferencePair> pairs = heldOut.map(encoder::encode).cache();
                JavaRDD<PromptCompletion> chosen = heldOut.map(p -> encoder.encode(p.prompt(), p.chosen())).cache();
                if (pairs.isEmpty()) {
                    throw new ConfigException("data.heldOutFraction", d.heldOutFraction(),
                            "a larger share: no pair of " + d.describe() + " is held out");
                }
                cached.add(pairs);
                cached.add(chosen);
                LikelihoodEvaluator likelihood = new LikelihoodEvaluator(setup.lm(), setup.vocabulary(), "heldout",
                        false, 0);
                PairEvaluator preference = new PairEvaluator(setup.lm(), null, true, 1.0);
                return PrefTraining.combine(List.of(
                        (params, round) -> likelihood.evaluate(sc, chosen, params),
                        (params, round) -> preference.evaluate(sc, pairs, params)));
            }
        };
    }
}
