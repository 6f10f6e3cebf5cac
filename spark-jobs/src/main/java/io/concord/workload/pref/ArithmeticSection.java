package io.concord.workload.pref;

import io.concord.core.param.Checks;
import io.concord.config.ConfigException;
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

    public ArithmeticSection {
        seed = seed == null ? 1L : seed;
        examples = Checks.positive("arithmetic.examples", examples, 4000);
        minDigits = Checks.positive("arithmetic.minDigits", minDigits, 1);
        maxDigits = Checks.positive("arithmetic.maxDigits", maxDigits, 2);
        if (maxDigits < minDigits || maxDigits > 17) {
            throw new ConfigException("arithmetic.maxDigits", maxDigits, "an integer in [minDigits, 17]");
        }
        operations = operations == null ? List.of("add") : List.copyOf(operations);
        if (operations.isEmpty()) {
            throw new ConfigException("arithmetic.operations", operations, "a non-empty list of add, subtract, multiply");
        }
        for (String op : operations) {
            operation(op);
        }
        heldOutFraction = heldOutFraction == null ? 0.1 : heldOutFraction;
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new ConfigException("arithmetic.heldOutFraction", heldOutFraction, "a number in (0, 1)");
        }
        evalQuestions = Checks.positive("arithmetic.evalQuestions", evalQuestions, 200);
        maxNewTokens = Checks.positive("arithmetic.maxNewTokens", maxNewTokens, 96);
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
            default -> throw new ConfigException("arithmetic.operations", name, "add, subtract, multiply");
        };
    }
}
