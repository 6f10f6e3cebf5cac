package io.concord.core.pref;

import java.util.LinkedHashMap;
import io.concord.core.param.ParamException;
import io.concord.core.param.ConfigSection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates a {@link SequenceObjective} from its config section, e.g. {@code {name: dpo, beta: 0.1}} under {@code loss}.
 * Hyperparameters are validated; errors name the key ({@code loss.beta}); unknown keys are rejected.
 *
 * <table>
 *   <caption>names and keys (defaults)</caption>
 *   <tr><td>sft</td><td>normalization = token_mean | sequence_mean | sequence_sum</td></tr>
 *   <tr><td>dpo</td><td>beta (0.1), label_smoothing (0)</td></tr>
 *   <tr><td>robust</td><td>beta (0.1), label_smoothing (0)</td></tr>
 *   <tr><td>ipo, hinge, sigmoid_norm</td><td>beta (0.1)</td></tr>
 *   <tr><td>rpo</td><td>variant = handbook | openrlhf; beta, eta (handbook 0.01, 0.005; openrlhf 0.5, 0.2)</td></tr>
 *   <tr><td>simpo</td><td>beta (2.0), gamma_beta_ratio (0.25), label_smoothing (0), sft_weight (0)</td></tr>
 *   <tr><td>npo</td><td>beta (0.1), npo_coeff (1), retain = none | ce | kl (none), retain_coeff (1)</td></tr>
 *   <tr><td>grad_ascent</td><td>forget_coeff (1), retain = none | ce | kl (none), retain_coeff (1)</td></tr>
 *   <tr><td>aft</td><td>variant = la | dc | bc | rank (bc); beta (required for bc, rank), detach_boundary (true),
 *       sft_weight (0)</td></tr>
 *   <tr><td>inpo</td><td>tau (0.1), eta (0.05)</td></tr>
 * </table>
 */
public final class PreferenceLosses {

    /** Every name, in catalog order ({@code sigmoid} is TRL's name for dpo). */
    public static final List<String> NAMES = List.of("sft", "dpo", "sigmoid", "robust", "ipo", "hinge", "sigmoid_norm",
            "rpo", "simpo", "npo", "grad_ascent", "aft", "inpo");

    private PreferenceLosses() {
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
        SequenceObjective loss = switch (name) {
            case "sft" -> new SftLoss(c.choice("normalization", SftLoss.Normalization.class,
                    SftLoss.Normalization.TOKEN_MEAN));
            case "dpo", "sigmoid" -> new DpoLoss(c.number("beta", 0.1), c.number("label_smoothing", 0.0));
            case "robust" -> new RobustDpoLoss(c.number("beta", 0.1), c.number("label_smoothing", 0.0));
            case "ipo" -> new IpoLoss(c.number("beta", 0.1));
            case "hinge" -> new HingeLoss(c.number("beta", 0.1));
            case "sigmoid_norm" -> new SigmoidNormLoss(c.number("beta", 0.1));
            case "rpo" -> {
                RpoLoss.Variant v = c.choice("variant", RpoLoss.Variant.class, RpoLoss.Variant.HANDBOOK);
                yield new RpoLoss(v, c.number("beta", v.defaultBeta()), c.number("eta", v.defaultEta()));
            }
            case "simpo" -> new SimpoLoss(c.number("beta", 2.0), c.number("gamma_beta_ratio", 0.25),
                    c.number("label_smoothing", 0.0), c.number("sft_weight", 0.0));
            case "npo" -> new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO,
                    c.choice("retain", UnlearningLoss.RetainTerm.class, UnlearningLoss.RetainTerm.NONE),
                    c.number("beta", 0.1), c.number("npo_coeff", 1.0), c.number("retain_coeff", 1.0));
            case "grad_ascent" -> new UnlearningLoss(UnlearningLoss.ForgetTerm.GRADIENT_ASCENT,
                    c.choice("retain", UnlearningLoss.RetainTerm.class, UnlearningLoss.RetainTerm.NONE),
                    1.0, c.number("forget_coeff", 1.0), c.number("retain_coeff", 1.0));
            case "aft" -> {
                AftLoss.Variant v = c.choice("variant", AftLoss.Variant.class, AftLoss.Variant.BC);
                double beta = Double.NaN;
                if (AftLoss.usesBoundary(v)) {
                    if (!c.has("beta")) {
                        throw new ParamException(c.key("beta"), "required for aft variant "
                                + v.name().toLowerCase(Locale.ROOT) + " (the boundary margin; no published value, the"
                                + " paper tunes it on validation data)");
                    }
                    beta = c.number("beta");
                } else if (c.has("beta")) {
                    throw new ParamException(c.key("beta"), "not used by aft variant "
                            + v.name().toLowerCase(Locale.ROOT) + " (only bc and rank have a boundary margin)");
                }
                yield new AftLoss(v, beta, c.bool("detach_boundary", true), c.number("sft_weight", 0.0));
            }
            case "inpo" -> new InpoLoss(c.number("tau", 0.1), c.number("eta", 0.05));
            default -> throw new ParamException(c.key("name"), "'" + name + "' is not a known loss; one of"
                    + " [sft, dpo, robust, ipo, hinge, sigmoid_norm, rpo, simpo, npo, grad_ascent, aft, inpo]");
        };
        c.rejectUnknown("loss '" + name + "'");
        return loss;
    }
}
