package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.ArithmeticTask;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The generated reasoning task ({@code arithmetic:}): problems {@code 0 … examples−1} of the generator's stream for
 * {@code seed} are the training questions, except those whose question text is held out (a hash of the text, so a
 * question is never on both sides); the held-out evaluation set is the first {@code evalQuestions} held-out questions
 * of the stream. Every job given the same section sees the same questions.
 *
 * @param seed             the task's stream seed (independent of the run seed, so runs with different seeds train
 *                         on the same questions)
 * @param examples         training stream length
 * @param minDigits        fewest digits of an operand
 * @param maxDigits        most digits of an operand
 * @param operations       any of add, subtract, multiply
 * @param heldOutFraction  share of question texts reserved for evaluation
 * @param evalQuestions    size of the held-out evaluation set
 * @param maxNewTokens     generation budget when answering (greedy) or sampling
 */
public record ArithmeticSection(Long seed, Integer examples, Integer minDigits, Integer maxDigits,
                                List<String> operations, Double heldOutFraction, Integer evalQuestions,
                                Integer maxNewTokens) {

    /** The operations a task may use, in {@code arithmetic.operations}. */
    public static final List<String> OPERATIONS = List.of("add", "subtract", "multiply");

    /**
     * The scalar {@code arithmetic:} keys (docs/preference.md's table is generated from them); {@code operations}
     * is a list: any of {@link #OPERATIONS}, default {@code [add]}.
     */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 1L, "the task's stream seed (independent of the run seed)"),
            Param.integer("examples", 4000, Rule.atLeast(1), "training stream length"),
            Param.integer("minDigits", 1, Rule.between(1, 17), "fewest digits of an operand"),
            Param.integer("maxDigits", 2, Rule.between(1, 17), "most digits of an operand, >= minDigits"),
            Param.real("heldOutFraction", 0.1, Rule.in(0, 1, false, false),
                    "share of question texts reserved for evaluation"),
            Param.integer("evalQuestions", 200, Rule.atLeast(1), "size of the held-out evaluation set"),
            Param.integer("maxNewTokens", 96, Rule.atLeast(1),
                    "generation budget when answering (greedy) or sampling"));

    private static final String SECTION = "arithmetic";

    public ArithmeticSection {
        seed = PARAMS.longInt(SECTION, "seed", seed);
        examples = PARAMS.integer(SECTION, "examples", examples);
        minDigits = PARAMS.integer(SECTION, "minDigits", minDigits);
        maxDigits = PARAMS.integer(SECTION, "maxDigits", maxDigits);
        if (maxDigits < minDigits) {
            throw new ConfigException("arithmetic.maxDigits", maxDigits, "an integer in [arithmetic.minDigits="
                    + minDigits + ", 17]");
        }
        operations = operations == null ? List.of("add") : List.copyOf(operations);
        if (operations.isEmpty()) {
            throw new ConfigException("arithmetic.operations", operations, "a non-empty list of "
                    + String.join(", ", OPERATIONS));
        }
        for (String op : operations) {
            operation(op);
        }
        heldOutFraction = PARAMS.real(SECTION, "heldOutFraction", heldOutFraction);
        evalQuestions = PARAMS.integer(SECTION, "evalQuestions", evalQuestions);
        maxNewTokens = PARAMS.integer(SECTION, "maxNewTokens", maxNewTokens);
    }

    public static ArithmeticSection defaults() {
        return new ArithmeticSection(null, null, null, null, null, null, null, null);
    }

    public ArithmeticTask task() {
        Set<ArithmeticTask.Operation> ops = EnumSet.noneOf(ArithmeticTask.Operation.class);
        operations.forEach(op -> ops.add(operation(op)));
        return new ArithmeticTask(minDigits, maxDigits, ops);
    }

    public boolean heldOut(ArithmeticProblem p) {
        return ArithmeticTask.isHeldOut(p.question(), heldOutFraction);
    }

    /** The held-out evaluation questions (the first {@code evalQuestions} held-out ones of the stream). */
    public List<ArithmeticProblem> heldOutProblems() {
        ArithmeticTask task = task();
        List<ArithmeticProblem> out = new ArrayList<>();
        long limit = 1000L * evalQuestions + 100_000L;
        for (long i = 0; i < limit && out.size() < evalQuestions; i++) {
            ArithmeticProblem p = task.problem(seed, i);
            if (heldOut(p)) {
                out.add(p);
            }
        }
        if (out.size() < evalQuestions) {
            throw new ConfigException("arithmetic.evalQuestions", evalQuestions, "at most " + out.size()
                    + " (the task has too few distinct held-out questions; widen the digit range)");
        }
        return out;
    }

    private static ArithmeticTask.Operation operation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "add" -> ArithmeticTask.Operation.ADD;
            case "subtract" -> ArithmeticTask.Operation.SUBTRACT;
            case "multiply" -> ArithmeticTask.Operation.MULTIPLY;
            default -> throw new ConfigException("arithmetic.operations", name, "one of "
                    + String.join(", ", OPERATIONS));
        };
    }
}
