package io.concord.core.loss;

import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Losses by config name, with defaults and validation. The YAML {@code loss:} map (its {@code name} entry selects the
 * loss) goes to {@link #create(Map)}, or name and parameters to {@link #create(String, Map)}:
 * <pre>
 *   loss: {name: gce, q: 0.7}
 *   loss: {name: aldr-kl, margin: 0.1, lambda0: 1.0, alpha: 2.0}
 * </pre>
 * Every entry is an {@link Objective}; the preference and sequence objectives of {@code core.pref} join the same
 * catalog through an {@link ObjectiveProvider}. Every entry declares its parameters once ({@link ParamTable}: name,
 * default, rule, doc); the declarations check the config and make the README's tables ({@link #declarations}).
 * Losses come in several kinds because their inputs differ: {@link Loss} (outputs and target rows), {@link
 * ExampleStateLoss} (with per-example state), {@link RandomizedLoss}, {@link MetricLoss}, {@link ConRLoss} (features,
 * targets, predictions) and {@link NormalizedSoftmaxLoss} (features and class weights). {@link #create(String, Map,
 * Class)} asks for a kind and says which names provide it when the configured loss is of another kind.
 */
public final class LossRegistry {

    private static final String SECTION = "loss";

    private record Entry(Class<? extends Objective> kind, ParamTable params,
                         BiFunction<String, Map<String, ?>, ? extends Objective> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static Param margin(double defaultValue, String doc) {
        return Param.real("margin", defaultValue, Rule.NON_NEGATIVE, doc);
    }

    private static Param temperature(double defaultValue) {
        return Param.real("temperature", defaultValue, Rule.POSITIVE, "softmax temperature");
    }

    static {
        register("cross-entropy", Loss.class, ParamTable.of(), v -> SoftmaxCrossEntropy.INSTANCE);
        register("comp-sum", Loss.class, ParamTable.of(
                Param.real("tau", "required", Rule.NON_NEGATIVE, "the comp-sum member (1 = cross-entropy)")),
                v -> CompSumLoss.of(v.real("tau")));
        register("gce", Loss.class, ParamTable.of(
                Param.real("q", 0.7, Rule.in(0, 1, false, true), "generalized cross-entropy exponent")),
                v -> CompSumLoss.generalizedCrossEntropy(v.real("q")));
        register("mae", Loss.class, ParamTable.of(), v -> CompSumLoss.meanAbsoluteError());
        register("z-loss", Loss.class, ParamTable.of(
                Param.real("a", 1.0, Rule.POSITIVE, "softplus sharpness"),
                Param.real("b", 1.0, Rule.FINITE, "target margin of the standardized logit"),
                Param.real("eps", 1e-12, Rule.POSITIVE, "added to the logits' standard deviation")),
                v -> new SphericalZLoss(v.real("a"), v.real("b"), v.real("eps")));
        register("logit-z-loss", Loss.class, ParamTable.of(
                Param.real("coefficient", 1e-4, Rule.NON_NEGATIVE, "weight of (log Z)^2"),
                Param.bool("crossEntropy", true, "add the cross-entropy term")),
                v -> new LogitZLoss(v.real("coefficient"), v.bool("crossEntropy")));
        register("stablemax", Loss.class, ParamTable.of(), v -> StableMaxCrossEntropy.INSTANCE);
        register("ldr-kl", Loss.class, ParamTable.of(margin(0.1, "label margin c"),
                Param.real("lambda", 1.0, Rule.POSITIVE, "KL regularisation strength")),
                v -> new LdrKlLoss(v.real("margin"), v.real("lambda")));
        register("aldr-kl", ExampleStateLoss.class, ParamTable.of(margin(0.1, "label margin c"),
                Param.real("lambda0", 1.0, Rule.POSITIVE, "initial per-example lambda"),
                Param.real("alpha", 2.0, new Rule("a finite number > 1", a -> a > 1.0 && !Double.isInfinite(a)),
                        "lambda adaptation scale"),
                Param.bool("softplus", false, "scores through softplus")),
                v -> new AldrKlLoss(v.real("margin"), v.real("lambda0"), v.real("alpha"), v.bool("softplus")));
        register("ensloss", RandomizedLoss.class, ParamTable.of(
                Param.real("boxCoxLambda", 0.0, Rule.FINITE, "Box-Cox transform of the drawn derivatives")),
                v -> new EnsLoss(v.real("boxCoxLambda")));
        register("infonce", Loss.class, ParamTable.of(temperature(0.07)),
                v -> new InfoNceLoss(v.real("temperature")));
        register("conr", ConRLoss.class, ParamTable.of(
                Param.real("window", 1.0, Rule.NON_NEGATIVE, "label distance within which examples are positives"),
                temperature(0.07),
                Param.real("pushWeight", 0.01, Rule.NON_NEGATIVE, "weight of the contrastive term")),
                v -> new ConRLoss(v.real("window"), v.real("temperature"), v.real("pushWeight")));
        register("pseudo-huber", Loss.class, ParamTable.of(
                Param.real("c", "none", Rule.POSITIVE, "a fixed c (instead of cPerSqrtDim)"),
                Param.real("cPerSqrtDim", "0.00054 (the paper's)", Rule.POSITIVE,
                        "c = cPerSqrtDim * sqrt(dimension)")),
                v -> {
                    if (v.has("c") && v.has("cPerSqrtDim")) {
                        throw new ParamException(v.key("c"), "give either c or cPerSqrtDim, not both");
                    }
                    return v.has("c") ? PseudoHuberLoss.withConstant(v.real("c"))
                            : PseudoHuberLoss.scaledByDimension(v.real("cPerSqrtDim",
                            PseudoHuberLoss.PAPER_C_PER_SQRT_DIM));
                });
        register("pass-at-n", Loss.class, ParamTable.of(
                Param.integer("n", null, Rule.POSITIVE_INT, "attempts N")),
                v -> new PassAtNLoss(v.integer("n")));
        register("proto-triplet", MetricLoss.class, ParamTable.of(
                Param.integer("way", 5, Rule.POSITIVE_INT, "nearest prototypes compared"),
                margin(0.5, "triplet margin")),
                v -> new ProtoTripletLoss(v.integer("way"), v.real("margin")));
        register("icnn", MetricLoss.class, ParamTable.of(
                Param.integer("k", 4, Rule.POSITIVE_INT, "neighbours scored"),
                Param.optionalInteger("ipc", "k + 1", Rule.POSITIVE_INT, "neighbours examined"),
                Param.bool("dropFirstNeighbour", true, "skip the nearest neighbour (the point itself)")),
                v -> new IcnnLoss(v.integer("k"), v.has("ipc") ? v.integer("ipc") : null,
                        v.bool("dropFirstNeighbour")));
        register("normalized-softmax", NormalizedSoftmaxLoss.class, ParamTable.of(
                Param.real("scale", 64.0, Rule.POSITIVE, "scale s of the cosine logits"),
                margin(0.0, "additive cosine margin m (CosFace)")),
                v -> new NormalizedSoftmaxLoss(v.real("scale"), v.real("margin")));
        registerProviders();
    }

    private LossRegistry() {
    }

    private static void register(String name, Class<? extends Objective> kind, ParamTable params,
                                 Function<ParamTable.Values, ? extends Objective> f) {
        ENTRIES.put(name, new Entry(kind, params, (section, raw) -> f.apply(params.read(section, name, raw))));
    }

    /** The objectives of other packages (preference and sequence objectives), after the built-in ones. */
    private static void registerProviders() {
        for (ObjectiveProvider provider : ServiceLoader.load(ObjectiveProvider.class,
                LossRegistry.class.getClassLoader())) {
            for (ObjectiveProvider.Entry e : provider.entries()) {
                if (ENTRIES.putIfAbsent(e.name(), new Entry(e.kind(), e.params(), e.factory())) != null) {
                    throw new IllegalStateException("loss name " + e.name() + " registered twice");
                }
            }
        }
    }

    /** Every loss name, in catalog order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    /** The names whose losses are of {@code kind}. */
    public static Set<String> namesOf(Class<?> kind) {
        Set<String> out = new LinkedHashSet<>();
        ENTRIES.forEach((name, e) -> {
            if (kind.isAssignableFrom(e.kind())) {
                out.add(name);
            }
        });
        return out;
    }

    /** The parameters {@code name} accepts. */
    public static Set<String> parameters(String name) {
        return entry(name).params().names();
    }

    /** The declared parameters of {@code name}: defaults, allowed values, meaning. */
    public static ParamTable declarations(String name) {
        return entry(name).params();
    }

    /** The kind of the objective {@code name} creates. */
    public static Class<? extends Objective> kindOf(String name) {
        return entry(name).kind();
    }

    /** The objective {@code name}: a {@link Loss} or one of the other kinds listed in the class comment. */
    public static Objective create(String name, Map<String, ?> params) {
        Entry entry = entry(name);
        if (params != null && params.get("name") != null && !name.equals(params.get("name").toString())) {
            throw new ParamException(SECTION + ".name", "'" + params.get("name")
                    + "' does not match the requested loss '" + name + "'");
        }
        return entry.factory().apply(SECTION, params == null ? Map.of() : params);
    }

    /** From a whole {@code loss:} section, whose {@code name} entry selects the loss. */
    public static Objective create(Map<String, ?> section) {
        Object name = section == null ? null : section.get("name");
        if (name == null) {
            throw new ParamException(SECTION + ".name", "is required; one of " + String.join(", ",
                    ENTRIES.keySet()));
        }
        return create(name.toString(), section);
    }

    /** As {@link #create(String, Map)}, requiring a loss of {@code kind}. */
    public static <T extends Objective> T create(String name, Map<String, ?> params, Class<T> kind) {
        Entry entry = entry(name);
        if (!kind.isAssignableFrom(entry.kind())) {
            throw new ParamException(SECTION + ".name", "'" + name + "' is of kind "
                    + entry.kind().getSimpleName() + ", but this job needs a " + kind.getSimpleName() + "; one of "
                    + String.join(", ", namesOf(kind)));
        }
        return kind.cast(create(name, params));
    }

    /** A {@link Loss} over (outputs, targets) rows. */
    public static Loss createLoss(String name, Map<String, ?> params) {
        return create(name, params, Loss.class);
    }

    private static Entry entry(String name) {
        Entry entry = name == null ? null : ENTRIES.get(name);
        if (entry == null) {
            throw new ParamException(SECTION + ".name", "'" + name + "' is not a known loss; one of "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }
}
