package io.concord.core.loss;

import io.concord.core.param.ParamException;
import io.concord.core.param.ConfigParams;

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
 * catalog through an {@link ObjectiveProvider}. Losses come in several kinds because their inputs differ: {@link Loss} (outputs and target rows), {@link
 * ExampleStateLoss} (with per-example state), {@link RandomizedLoss}, {@link MetricLoss}, {@link ConRLoss} (features,
 * targets, predictions) and {@link NormalizedSoftmaxLoss} (features and class weights). {@link #create(String, Map,
 * Class)} asks for a kind and says which names provide it when the configured loss is of another kind.
 */
public final class LossRegistry {

    private static final String SECTION = "loss";

    /** @param keys the parameters, or null when the factory checks its own (objectives of providers) */
    private record Entry(Class<? extends Objective> kind, Set<String> keys,
                         BiFunction<String, Map<String, ?>, ? extends Objective> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("cross-entropy", Loss.class, Set.of(), p -> SoftmaxCrossEntropy.INSTANCE);
        register("comp-sum", Loss.class, Set.of("tau"), p -> CompSumLoss.of(p.requireDouble("tau")));
        register("gce", Loss.class, Set.of("q"), p -> CompSumLoss.generalizedCrossEntropy(p.getDouble("q", 0.7)));
        register("mae", Loss.class, Set.of(), p -> CompSumLoss.meanAbsoluteError());
        register("z-loss", Loss.class, Set.of("a", "b", "eps"), p -> new SphericalZLoss(p.getDouble("a", 1.0),
                p.getDouble("b", 1.0), p.getDouble("eps", 1e-12)));
        register("logit-z-loss", Loss.class, Set.of("coefficient", "crossEntropy"), p -> new LogitZLoss(
                p.getDouble("coefficient", 1e-4), p.getBoolean("crossEntropy", true)));
        register("stablemax", Loss.class, Set.of(), p -> StableMaxCrossEntropy.INSTANCE);
        register("ldr-kl", Loss.class, Set.of("margin", "lambda"), p -> new LdrKlLoss(p.getDouble("margin", 0.1),
                p.getDouble("lambda", 1.0)));
        register("aldr-kl", ExampleStateLoss.class, Set.of("margin", "lambda0", "alpha", "softplus"),
                p -> new AldrKlLoss(p.getDouble("margin", 0.1), p.getDouble("lambda0", 1.0),
                        p.getDouble("alpha", 2.0), p.getBoolean("softplus", false)));
        register("ensloss", RandomizedLoss.class, Set.of("boxCoxLambda"),
                p -> new EnsLoss(p.getDouble("boxCoxLambda", 0.0)));
        register("infonce", Loss.class, Set.of("temperature"), p -> new InfoNceLoss(p.getDouble("temperature",
                0.07)));
        register("conr", ConRLoss.class, Set.of("window", "temperature", "pushWeight"), p -> new ConRLoss(
                p.getDouble("window", 1.0), p.getDouble("temperature", 0.07), p.getDouble("pushWeight", 0.01)));
        register("pseudo-huber", Loss.class, Set.of("c", "cPerSqrtDim"), p -> {
            if (p.has("c") && p.has("cPerSqrtDim")) {
                throw new ParamException(p.key("c"), "give either c or cPerSqrtDim, not both");
            }
            return p.has("c") ? PseudoHuberLoss.withConstant(p.requireDouble("c"))
                    : PseudoHuberLoss.scaledByDimension(p.getDouble("cPerSqrtDim",
                    PseudoHuberLoss.PAPER_C_PER_SQRT_DIM));
        });
        register("pass-at-n", Loss.class, Set.of("n"), p -> new PassAtNLoss(p.requireInt("n")));
        register("proto-triplet", MetricLoss.class, Set.of("way", "margin"), p -> new ProtoTripletLoss(
                p.getInt("way", 5), p.getDouble("margin", 0.5)));
        register("icnn", MetricLoss.class, Set.of("k", "ipc", "dropFirstNeighbour"), p -> new IcnnLoss(
                p.getInt("k", 4), p.getIntOrNull("ipc"), p.getBoolean("dropFirstNeighbour", true)));
        register("normalized-softmax", NormalizedSoftmaxLoss.class, Set.of("scale", "margin"),
                p -> new NormalizedSoftmaxLoss(p.getDouble("scale", 64.0), p.getDouble("margin", 0.0)));
        registerProviders();
    }

    private LossRegistry() {
    }

    private static void register(String name, Class<? extends Objective> kind, Set<String> keys,
                                 Function<ConfigParams, ? extends Objective> f) {
        ENTRIES.put(name, new Entry(kind, keys, (section, raw) -> f.apply(new ConfigParams(section, name, raw, keys))));
    }

    /** The objectives of other packages (preference and sequence objectives), after the built-in ones. */
    private static void registerProviders() {
        for (ObjectiveProvider provider : ServiceLoader.load(ObjectiveProvider.class,
                LossRegistry.class.getClassLoader())) {
            for (ObjectiveProvider.Entry e : provider.entries()) {
                if (ENTRIES.putIfAbsent(e.name(), new Entry(e.kind(), null, e.factory())) != null) {
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

    /** The parameters {@code name} accepts (empty for objectives that check their own keys). */
    public static Set<String> parameters(String name) {
        Set<String> keys = entry(name).keys();
        return keys == null ? Set.of() : keys;
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
