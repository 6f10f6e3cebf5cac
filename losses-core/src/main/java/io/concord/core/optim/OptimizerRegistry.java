package io.concord.core.optim;

import io.concord.core.param.ConfigParams;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
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

    private record Entry(ParamTable params, BiFunction<ParamTable.Values, List<MatrixBlock>, Optimizer> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static Param lr(double defaultValue) {
        return Param.real("lr", defaultValue, Rule.POSITIVE, "learning rate");
    }

    private static Param beta1(double defaultValue, Rule rule) {
        return Param.real("beta1", defaultValue, rule, "first-moment decay");
    }

    private static Param beta2(double defaultValue) {
        return Param.real("beta2", defaultValue, Rule.UNIT_OPEN, "second-moment (curvature) decay");
    }

    private static Param eps(double defaultValue) {
        return Param.real("eps", defaultValue, Rule.POSITIVE, "added to the denominator");
    }

    private static Param weightDecay(double defaultValue, String doc) {
        return Param.real("weightDecay", defaultValue, Rule.NON_NEGATIVE, doc);
    }

    private static Param matrices() {
        return Param.mapList("matrices", "the model's", "matrix blocks {offset, rows, cols} of the flat vector");
    }

    static {
        register("sgd", ParamTable.of(lr(0.01),
                Param.real("momentum", 0.0, Rule.UNIT_OPEN, "heavy-ball momentum"),
                weightDecay(0.0, "coupled L2 (added to the gradient)"),
                Param.bool("nesterov", false, "Nesterov momentum (needs momentum > 0)")),
                (v, m) -> new Sgd(v.real("lr"), v.real("momentum"), v.real("weightDecay"), v.bool("nesterov")));
        register("adam", ParamTable.of(lr(1e-3), beta1(0.9, Rule.UNIT_OPEN), beta2(0.999), eps(1e-8),
                weightDecay(0.0, "coupled L2 (added to the gradient)")),
                (v, m) -> new Adam(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("eps"),
                        v.real("weightDecay"), false));
        register("adamw", ParamTable.of(lr(1e-3), beta1(0.9, Rule.UNIT_OPEN), beta2(0.999),
                Param.real("eps", "1e-8 (torch), 1e-6 (hf)", Rule.POSITIVE, "added to the denominator"),
                Param.real("weightDecay", "0.01 (torch), 0 (hf)", Rule.NON_NEGATIVE, "decoupled weight decay"),
                Param.choice("convention", "torch", List.of("torch", "hf"),
                        "torch: decay first, eps on sqrt(v-hat); hf: eps on sqrt(v), decay after the update")),
                (v, m) -> {
                    Adam.Convention convention = v.choice("convention", Adam.Convention.class);
                    boolean hf = convention == Adam.Convention.HF;
                    return new Adam(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("eps", hf ? 1e-6 : 1e-8),
                            v.real("weightDecay", hf ? 0.0 : 0.01), true, convention);
                });
        register("lion", ParamTable.of(lr(1e-4), beta1(0.9, Rule.in(0, 1, true, true)),
                Param.real("beta2", 0.99, Rule.UNIT_OPEN, "momentum decay"),
                weightDecay(0.0, "decoupled weight decay (lr * weightDecay <= 1)"),
                Param.choice("direction", "sign", List.of("sign", "l2"), "sign (Lion) or l2 (Lion-K)")),
                (v, m) -> new Lion(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("weightDecay"),
                        v.choice("direction", Lion.Direction.class)));
        register("sophia-g", ParamTable.of(lr(1e-4), beta1(0.965, Rule.UNIT_OPEN), beta2(0.99),
                Param.real("rho", 0.04, Rule.POSITIVE, "clipping scale"),
                weightDecay(0.1, "decoupled weight decay"),
                Param.real("batchSize", 5120, Rule.POSITIVE, "tokens per batch in the Gauss-Newton-Bartlett estimate"),
                Param.integer("interval", 10, Rule.POSITIVE_INT, "steps between curvature updates")),
                (v, m) -> new SophiaG(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("rho"),
                        v.real("weightDecay"), v.real("batchSize"), v.integer("interval")));
        register("sophia-h", ParamTable.of(lr(1e-3), beta1(0.9, Rule.in(0, 1, false, false)), beta2(0.99),
                Param.real("gamma", 10.0, Rule.POSITIVE, "clipping scale"),
                weightDecay(0.01, "decoupled weight decay"),
                Param.integer("interval", 10, Rule.POSITIVE_INT, "steps between Hutchinson updates")),
                (v, m) -> new SophiaH(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("gamma"),
                        v.real("weightDecay"), v.integer("interval")));
        register("fira", ParamTable.of(lr(1e-3), beta1(0.9, Rule.UNIT_OPEN), beta2(0.999), eps(1e-6),
                weightDecay(0.0, "decoupled weight decay"),
                Param.integer("rank", null, Rule.POSITIVE_INT, "rank of the projection"),
                Param.integer("updateProjGap", 200, Rule.POSITIVE_INT, "steps between projection refreshes"),
                Param.real("alpha", 1.0, Rule.POSITIVE, "residual scale"), matrices()),
                (v, m) -> new Fira(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("eps"),
                        v.real("weightDecay"), v.integer("rank"), v.integer("updateProjGap"), v.real("alpha"),
                        matrices(v, m, "fira")));
        register("frugal", ParamTable.of(lr(1e-3), beta1(0.9, Rule.UNIT_OPEN), beta2(0.999), eps(1e-8),
                weightDecay(0.01, "decoupled weight decay"),
                Param.real("density", 0.25, Rule.in(0, 1, true, true), "fraction of the state-full subspace"),
                Param.integer("updateGap", 200, Rule.POSITIVE_INT, "steps between subspace refreshes"),
                Param.choice("projection", "randperm", List.of("svd", "random", "randperm", "block"),
                        "how the state-full subspace is chosen"),
                Param.choice("inactiveUpdateRule", "sign_sgd", List.of("sign_sgd", "sgd", "no"),
                        "update of the state-free rest"),
                Param.real("inactiveLrScale", 1.0, Rule.NON_NEGATIVE, "lr scale of the state-free rest"),
                Param.real("projLrScale", 1.0, Rule.NON_NEGATIVE, "lr scale of the projected update"),
                Param.bool("resetStatistics", true, "reset moments at each refresh"),
                Param.longInt("seed", 0L, "seed of the random subspace choices"), matrices()),
                (v, m) -> new Frugal(v.real("lr"), v.real("beta1"), v.real("beta2"), v.real("eps"),
                        v.real("weightDecay"), v.real("density"), v.integer("updateGap"),
                        v.choice("projection", Frugal.Projection.class),
                        v.choice("inactiveUpdateRule", Frugal.InactiveRule.class), v.real("inactiveLrScale"),
                        v.real("projLrScale"), v.bool("resetStatistics"), v.longInt("seed"),
                        matrices(v, m, "frugal")));
        register("normalized-gd", ParamTable.of(lr(1.0),
                Param.choice("normalize", "gradient-norm", List.of("gradient-norm", "loss"),
                        "divide the step by the gradient norm or by the loss")),
                (v, m) -> new NormalizedGd(v.real("lr"), v.choice("normalize").equals("loss")
                        ? NormalizedGd.Normalization.LOSS : NormalizedGd.Normalization.GRADIENT_NORM));
        register("perp-grad", ParamTable.of(
                Param.map("base", "required", "the optimizer to wrap, e.g. {name: sgd, lr: 0.1}"),
                Param.real("eps", 1e-30, Rule.POSITIVE, "guards the projection's division"),
                Param.mapList("segments", "the whole vector", "(offset, length) pairs projected separately")),
                (v, m) -> {
                    Map<String, Object> base = v.map("base");
                    if (base == null) {
                        throw new ParamException(v.key("base"), "is required (the optimizer to wrap, e.g. "
                                + "{name: sgd, lr: 0.1})");
                    }
                    List<ConfigParams> segments = v.mapList("segments", SEGMENT_KEYS);
                    int[] pairs = null;
                    if (!segments.isEmpty()) {
                        pairs = new int[2 * segments.size()];
                        for (int i = 0; i < segments.size(); i++) {
                            pairs[2 * i] = segments.get(i).requireInt("offset");
                            pairs[2 * i + 1] = segments.get(i).requireInt("length");
                        }
                    }
                    return new PerpGrad(createSection(v.key("base"), base, m), v.real("eps"), pairs);
                });
    }

    private OptimizerRegistry() {
    }

    private static void register(String name, ParamTable params,
                                 BiFunction<ParamTable.Values, List<MatrixBlock>, Optimizer> factory) {
        ENTRIES.put(name, new Entry(params, factory));
    }

    /** Every optimizer name, in catalog order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    /** The parameters {@code name} accepts. */
    public static Set<String> parameters(String name) {
        return entry(SECTION, name).params().names();
    }

    /** The declared parameters of {@code name}: defaults, allowed values, meaning. */
    public static ParamTable declarations(String name) {
        return entry(SECTION, name).params();
    }

    public static Optimizer create(String name, Map<String, ?> params) {
        return create(name, params, null);
    }

    /** From a whole {@code optimizer:} section, whose {@code name} entry selects the optimizer. */
    public static Optimizer create(Map<String, ?> section) {
        return createSection(SECTION, section, null);
    }

    /**
     * @param modelMatrices the model's matrix blocks, used by fira and frugal when the config has no
     *                      {@code matrices}; may be null
     */
    public static Optimizer create(String name, Map<String, ?> params, List<MatrixBlock> modelMatrices) {
        if (params != null && params.get("name") != null && !name.equals(params.get("name").toString())) {
            throw new ParamException(SECTION + ".name", "'" + params.get("name")
                    + "' does not match the requested optimizer '" + name + "'");
        }
        return create(SECTION, name, params, modelMatrices);
    }

    /** A (possibly nested) section: {@code key} is its full path, e.g. {@code optimizer.base}. */
    private static Optimizer createSection(String key, Map<String, ?> section, List<MatrixBlock> modelMatrices) {
        Object name = section == null ? null : section.get("name");
        if (name == null) {
            throw new ParamException(key + ".name", "is required; one of " + String.join(", ", ENTRIES.keySet()));
        }
        return create(key, name.toString(), section, modelMatrices);
    }

    private static Optimizer create(String key, String name, Map<String, ?> params, List<MatrixBlock> modelMatrices) {
        Entry entry = entry(key, name);
        ParamTable.Values values = entry.params().read(key, name, params);
        try {
            return entry.factory().apply(values, modelMatrices);
        } catch (ParamException e) {
            // The optimizers' own checks name bare parameters ("lr"); give them this section's path.
            throw entry.params().names().contains(e.key()) ? e.within(key) : e;
        }
    }

    private static Entry entry(String key, String name) {
        Entry entry = name == null ? null : ENTRIES.get(name);
        if (entry == null) {
            throw new ParamException(key + ".name", "'" + name + "' is not a known optimizer; one of "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }

    private static List<MatrixBlock> matrices(ParamTable.Values v, List<MatrixBlock> modelMatrices, String owner) {
        List<ConfigParams> entries = v.mapList("matrices", MATRIX_KEYS);
        if (entries.isEmpty()) {
            if (modelMatrices == null || modelMatrices.isEmpty()) {
                throw new ParamException(v.key("matrices"), "is required for '" + owner
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
