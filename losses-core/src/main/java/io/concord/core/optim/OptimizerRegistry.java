package io.concord.core.optim;

import io.concord.core.param.ConfigParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Optimizers by config name, with defaults and validation. The YAML {@code optimizer:} map (its {@code name} entry
 * selects the optimizer, the rest are parameters) goes to {@link #create(Map)} or {@link #create(String, Map)}:
 * <pre>
 *   optimizer: {name: adamw, lr: 3.0e-4, weightDecay: 0.1}
 *   optimizer: {name: fira, rank: 8, matrices: [{offset: 0, rows: 10, cols: 784}]}
 *   optimizer: {name: perp-grad, base: {name: sgd, lr: 0.1}}
 * </pre>
 * Unknown names and unknown parameters fail with the list of what is allowed; bad values fail with a message naming
 * the key ({@code optimizer.lr: -1.0 is not allowed; must be a finite number > 0}). Fira and FRUGAL need matrix blocks:
 * from {@code matrices} in the config or, when that is absent, from the model ({@link #create(String, Map, List)}).
 */
public final class OptimizerRegistry {

    private static final String SECTION = "optimizer";
    private static final Set<String> MATRIX_KEYS = Set.of("offset", "rows", "cols");
    private static final Set<String> SEGMENT_KEYS = Set.of("offset", "length");

    private record Entry(Set<String> keys, BiFunction<ConfigParams, List<MatrixBlock>, Optimizer> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("sgd", Set.of("lr", "momentum", "weightDecay", "nesterov"), (p, m) -> new Sgd(
                p.getDouble("lr", 0.01), p.getDouble("momentum", 0.0), p.getDouble("weightDecay", 0.0),
                p.getBoolean("nesterov", false)));
        register("adam", Set.of("lr", "beta1", "beta2", "eps", "weightDecay"), (p, m) -> new Adam(
                p.getDouble("lr", 1e-3), p.getDouble("beta1", 0.9), p.getDouble("beta2", 0.999),
                p.getDouble("eps", 1e-8), p.getDouble("weightDecay", 0.0), false));
        register("adamw", Set.of("lr", "beta1", "beta2", "eps", "weightDecay", "convention"), (p, m) -> {
            Adam.Convention convention = Adam.Convention.valueOf(
                    p.getChoice("convention", "torch", "torch", "hf").toUpperCase(java.util.Locale.ROOT));
            return new Adam(p.getDouble("lr", 1e-3), p.getDouble("beta1", 0.9), p.getDouble("beta2", 0.999),
                    p.getDouble("eps", convention == Adam.Convention.HF ? 1e-6 : 1e-8),
                    p.getDouble("weightDecay", convention == Adam.Convention.HF ? 0.0 : 0.01), true, convention);
        });
        register("lion", Set.of("lr", "beta1", "beta2", "weightDecay", "direction"), (p, m) -> new Lion(
                p.getDouble("lr", 1e-4), p.getDouble("beta1", 0.9), p.getDouble("beta2", 0.99),
                p.getDouble("weightDecay", 0.0),
                Lion.Direction.valueOf(p.getChoice("direction", "sign", "sign", "l2").toUpperCase(
                        java.util.Locale.ROOT))));
        register("sophia-g", Set.of("lr", "beta1", "beta2", "rho", "weightDecay", "batchSize", "interval"),
                (p, m) -> new SophiaG(p.getDouble("lr", 1e-4), p.getDouble("beta1", 0.965),
                        p.getDouble("beta2", 0.99), p.getDouble("rho", 0.04), p.getDouble("weightDecay", 0.1),
                        p.getDouble("batchSize", 5120), p.getInt("interval", 10)));
        register("sophia-h", Set.of("lr", "beta1", "beta2", "gamma", "weightDecay", "interval"),
                (p, m) -> new SophiaH(p.getDouble("lr", 1e-3), p.getDouble("beta1", 0.9),
                        p.getDouble("beta2", 0.99), p.getDouble("gamma", 10.0), p.getDouble("weightDecay", 0.01),
                        p.getInt("interval", 10)));
        register("fira", Set.of("lr", "beta1", "beta2", "eps", "weightDecay", "rank", "updateProjGap", "alpha",
                "matrices"), (p, m) -> new Fira(p.getDouble("lr", 1e-3), p.getDouble("beta1", 0.9),
                p.getDouble("beta2", 0.999), p.getDouble("eps", 1e-6), p.getDouble("weightDecay", 0.0),
                p.requireInt("rank"), p.getInt("updateProjGap", 200), p.getDouble("alpha", 1.0),
                matrices(p, m, "fira")));
        register("frugal", Set.of("lr", "beta1", "beta2", "eps", "weightDecay", "density", "updateGap",
                "projection", "inactiveUpdateRule", "inactiveLrScale", "projLrScale", "resetStatistics", "seed",
                "matrices"), (p, m) -> new Frugal(p.getDouble("lr", 1e-3), p.getDouble("beta1", 0.9),
                p.getDouble("beta2", 0.999), p.getDouble("eps", 1e-8), p.getDouble("weightDecay", 0.01),
                p.getDouble("density", 0.25), p.getInt("updateGap", 200),
                Frugal.Projection.valueOf(p.getChoice("projection", "randperm", "svd", "random", "randperm",
                        "block").toUpperCase(java.util.Locale.ROOT)),
                Frugal.InactiveRule.valueOf(p.getChoice("inactiveUpdateRule", "sign_sgd", "sign_sgd", "sgd", "no")
                        .toUpperCase(java.util.Locale.ROOT)),
                p.getDouble("inactiveLrScale", 1.0), p.getDouble("projLrScale", 1.0),
                p.getBoolean("resetStatistics", true), p.getLong("seed", 0L), matrices(p, m, "frugal")));
        register("normalized-gd", Set.of("lr", "normalize"), (p, m) -> new NormalizedGd(p.getDouble("lr", 1.0),
                p.getChoice("normalize", "gradient-norm", "gradient-norm", "loss").equals("loss")
                        ? NormalizedGd.Normalization.LOSS : NormalizedGd.Normalization.GRADIENT_NORM));
        register("perp-grad", Set.of("base", "eps", "segments"), (p, m) -> {
            Map<String, Object> base = p.getMap("base");
            if (base == null) {
                throw new IllegalArgumentException(p.key("base") + ": is required (the optimizer to wrap, e.g. "
                        + "{name: sgd, lr: 0.1})");
            }
            List<ConfigParams> segments = p.getMapList("segments", SEGMENT_KEYS);
            int[] pairs = null;
            if (!segments.isEmpty()) {
                pairs = new int[2 * segments.size()];
                for (int i = 0; i < segments.size(); i++) {
                    pairs[2 * i] = segments.get(i).requireInt("offset");
                    pairs[2 * i + 1] = segments.get(i).requireInt("length");
                }
            }
            return new PerpGrad(create(base, m), p.getDouble("eps", 1e-30), pairs);
        });
    }

    private OptimizerRegistry() {
    }

    private static void register(String name, Set<String> keys,
                                 BiFunction<ConfigParams, List<MatrixBlock>, Optimizer> factory) {
        ENTRIES.put(name, new Entry(keys, factory));
    }

    /** Every optimizer name, in catalog order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    /** The parameters {@code name} accepts. */
    public static Set<String> parameters(String name) {
        return entry(name).keys();
    }

    public static Optimizer create(String name, Map<String, ?> params) {
        return create(name, params, null);
    }

    /** From a whole {@code optimizer:} section, whose {@code name} entry selects the optimizer. */
    public static Optimizer create(Map<String, ?> section) {
        return create(section, null);
    }

    private static Optimizer create(Map<String, ?> section, List<MatrixBlock> modelMatrices) {
        Object name = section == null ? null : section.get("name");
        if (name == null) {
            throw new IllegalArgumentException(SECTION + ".name: is required; one of " + String.join(", ",
                    ENTRIES.keySet()));
        }
        return create(name.toString(), section, modelMatrices);
    }

    /**
     * @param modelMatrices the model's matrix blocks, used by fira and frugal when the config has no
     *                      {@code matrices}; may be null
     */
    public static Optimizer create(String name, Map<String, ?> params, List<MatrixBlock> modelMatrices) {
        Entry entry = entry(name);
        if (params != null && params.get("name") != null && !name.equals(params.get("name").toString())) {
            throw new IllegalArgumentException(SECTION + ".name: '" + params.get("name")
                    + "' does not match the requested optimizer '" + name + "'");
        }
        return entry.factory().apply(new ConfigParams(SECTION, name, params, entry.keys()), modelMatrices);
    }

    private static Entry entry(String name) {
        Entry entry = name == null ? null : ENTRIES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(SECTION + ".name: '" + name + "' is not a known optimizer; one of "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }

    private static List<MatrixBlock> matrices(ConfigParams p, List<MatrixBlock> modelMatrices, String owner) {
        List<ConfigParams> entries = p.getMapList("matrices", MATRIX_KEYS);
        if (entries.isEmpty()) {
            if (modelMatrices == null || modelMatrices.isEmpty()) {
                throw new IllegalArgumentException(p.key("matrices") + ": is required for '" + owner
                        + "' (a list of {offset, rows, cols}) unless the model declares its matrices");
            }
            return modelMatrices;
        }
        List<MatrixBlock> out = new ArrayList<>();
        for (ConfigParams e : entries) {
            out.add(new MatrixBlock(e.requireInt("offset"), e.requireInt("rows"), e.requireInt("cols")));
        }
        return out;
    }
}
