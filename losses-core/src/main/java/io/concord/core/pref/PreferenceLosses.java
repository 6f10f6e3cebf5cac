package io.concord.core.pref;

import io.concord.core.param.ConfigSection;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates a {@link SequenceObjective} from its config section, e.g. {@code {name: dpo, beta: 0.1}} under {@code loss}.
 * Every objective declares its parameters once ({@link ParamTable}: name, default, rule, doc, the README's table);
 * values are checked against the declarations with errors naming the full key ({@code loss.beta},
 * {@code train.loss.beta}); unknown keys are rejected. Keys mirror TRL's and TOFU's names (docs/contributing.md).
 */
public final class PreferenceLosses {

    /** Every name, in catalog order ({@code sigmoid} is TRL's name for dpo). */
    public static final List<String> NAMES = List.of("sft", "dpo", "sigmoid", "robust", "ipo", "hinge", "sigmoid_norm",
            "rpo", "simpo", "npo", "grad_ascent", "aft", "inpo");

    private record Declared(ParamTable params, Function<ParamTable.Values, SequenceObjective> factory) {
    }

    private static final Map<String, Declared> OBJECTIVES = new LinkedHashMap<>();

    private static Param beta(double defaultValue) {
        return Param.real("beta", defaultValue, Rule.POSITIVE, "inverse temperature of the implicit reward");
    }

    private static Param labelSmoothing() {
        return Param.real("label_smoothing", 0.0, Rule.in(0, 0.5, true, false), "assumed preference label noise");
    }

    private static Param sftWeight() {
        return Param.real("sft_weight", 0.0, Rule.NON_NEGATIVE, "weight of the chosen response's SFT term");
    }

    private static Param retain() {
        return choice("retain", UnlearningLoss.RetainTerm.NONE, "term on the retain set");
    }

    private static Param retainCoeff() {
        return Param.real("retain_coeff", 1.0, Rule.NON_NEGATIVE, "weight of the retain term");
    }

    private static <E extends Enum<E>> Param choice(String name, E defaultValue, String doc) {
        List<String> names = new ArrayList<>();
        for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return Param.choice(name, defaultValue.name().toLowerCase(Locale.ROOT), names, doc);
    }

    static {
        declare("sft", ParamTable.of(choice("normalization", SftLoss.Normalization.TOKEN_MEAN,
                "how token log-likelihoods are averaged")),
                v -> new SftLoss(v.choice("normalization", SftLoss.Normalization.class)));
        Declared dpo = declare("dpo", ParamTable.of(beta(0.1), labelSmoothing()),
                v -> new DpoLoss(v.real("beta"), v.real("label_smoothing")));
        OBJECTIVES.put("sigmoid", dpo);
        declare("robust", ParamTable.of(beta(0.1), labelSmoothing()),
                v -> new RobustDpoLoss(v.real("beta"), v.real("label_smoothing")));
        declare("ipo", ParamTable.of(beta(0.1)), v -> new IpoLoss(v.real("beta")));
        declare("hinge", ParamTable.of(beta(0.1)), v -> new HingeLoss(v.real("beta")));
        declare("sigmoid_norm", ParamTable.of(beta(0.1)), v -> new SigmoidNormLoss(v.real("beta")));
        declare("rpo", ParamTable.of(choice("variant", RpoLoss.Variant.HANDBOOK, "which published recipe"),
                Param.real("beta", "handbook 0.01, openrlhf 0.5", Rule.POSITIVE,
                        "inverse temperature of the implicit reward"),
                Param.real("eta", "handbook 0.005, openrlhf 0.2", Rule.NON_NEGATIVE, "weight of the NLL term")),
                v -> {
                    RpoLoss.Variant variant = v.choice("variant", RpoLoss.Variant.class);
                    return new RpoLoss(variant, v.real("beta", variant.defaultBeta()),
                            v.real("eta", variant.defaultEta()));
                });
        declare("simpo", ParamTable.of(beta(2.0),
                Param.real("gamma_beta_ratio", 0.25, Rule.NON_NEGATIVE, "target reward margin over beta"),
                labelSmoothing(), sftWeight()),
                v -> new SimpoLoss(v.real("beta"), v.real("gamma_beta_ratio"), v.real("label_smoothing"),
                        v.real("sft_weight")));
        declare("npo", ParamTable.of(retain(), beta(0.1),
                Param.real("npo_coeff", 1.0, Rule.NON_NEGATIVE, "weight of the NPO forget term"), retainCoeff()),
                v -> new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO,
                        v.choice("retain", UnlearningLoss.RetainTerm.class), v.real("beta"), v.real("npo_coeff"),
                        v.real("retain_coeff")));
        declare("grad_ascent", ParamTable.of(retain(),
                Param.real("forget_coeff", 1.0, Rule.NON_NEGATIVE, "weight of the gradient-ascent forget term"),
                retainCoeff()),
                v -> new UnlearningLoss(UnlearningLoss.ForgetTerm.GRADIENT_ASCENT,
                        v.choice("retain", UnlearningLoss.RetainTerm.class), 1.0, v.real("forget_coeff"),
                        v.real("retain_coeff")));
        declare("aft", ParamTable.of(choice("variant", AftLoss.Variant.BC, "which AFT objective"),
                Param.real("beta", "required for bc and rank, unused otherwise", Rule.NON_NEGATIVE,
                        "boundary margin"),
                Param.bool("detach_boundary", true, "no gradient through the boundary"), sftWeight()),
                PreferenceLosses::aft);
        declare("inpo", ParamTable.of(Param.real("tau", 0.1, Rule.POSITIVE, "KL regularisation to the reference"),
                Param.real("eta", 0.05, Rule.POSITIVE, "step size of the online mirror descent")),
                v -> new InpoLoss(v.real("tau"), v.real("eta")));
    }

    private PreferenceLosses() {
    }

    private static Declared declare(String name, ParamTable params,
                                    Function<ParamTable.Values, SequenceObjective> factory) {
        Declared d = new Declared(params, factory);
        OBJECTIVES.put(name, d);
        return d;
    }

    private static SequenceObjective aft(ParamTable.Values v) {
        AftLoss.Variant variant = v.choice("variant", AftLoss.Variant.class);
        String shown = variant.name().toLowerCase(Locale.ROOT);
        double beta = Double.NaN;
        if (AftLoss.usesBoundary(variant)) {
            if (!v.has("beta")) {
                throw new ParamException(v.key("beta"), "required for aft variant " + shown + " (the boundary margin;"
                        + " no published value, the paper tunes it on validation data)");
            }
            beta = v.real("beta");
        } else if (v.has("beta")) {
            throw new ParamException(v.key("beta"), "not used by aft variant " + shown
                    + " (only bc and rank have a boundary margin)");
        }
        return new AftLoss(variant, beta, v.bool("detach_boundary"), v.real("sft_weight"));
    }

    /** The declared parameters of objective {@code name}. */
    public static ParamTable declarations(String name) {
        Declared d = OBJECTIVES.get(name);
        if (d == null) {
            throw new IllegalArgumentException("not a preference objective: " + name);
        }
        return d.params();
    }

    /** Reads the section under the key {@code loss}. */
    public static SequenceObjective create(Map<String, ?> section) {
        return create("loss", section);
    }

    /** For a component spec that carries the name apart from its parameters ({@code loss: {name: dpo, beta: 0.1}}). */
    public static SequenceObjective create(String prefix, String name, Map<String, ?> params) {
        if (params.containsKey("name")) {
            throw new ParamException(prefix + ".name", "given twice");
        }
        Map<String, Object> section = new LinkedHashMap<>(params);
        section.put("name", name);
        return create(prefix, section);
    }

    public static SequenceObjective create(String prefix, Map<String, ?> section) {
        ConfigSection c = new ConfigSection(prefix, section);
        String name = c.string("name").toLowerCase(Locale.ROOT);
        Declared d = OBJECTIVES.get(name);
        if (d == null) {
            List<String> known = NAMES.stream().filter(n -> !n.equals("sigmoid")).toList();
            throw new ParamException(c.key("name"), "'" + name + "' is not a known loss; one of " + known);
        }
        SequenceObjective loss = d.factory().apply(d.params().read(c));
        c.rejectUnknown("loss '" + name + "'");
        return loss;
    }
}
