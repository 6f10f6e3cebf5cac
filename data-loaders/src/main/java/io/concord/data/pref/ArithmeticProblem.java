package io.concord.data.pref;

import java.io.Serializable;
import java.util.Objects;

/**
 * One generated arithmetic question with its worked solution (column by column, ending in
 * {@code "Answer: <n>"}) and the exact answer.
 */
public final class ArithmeticProblem implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long index;
    private final String question;
    private final String solution;
    private final long answer;

    public ArithmeticProblem(long index, String question, String solution, long answer) {
        this.index = index;
        this.question = Objects.requireNonNull(question, "question");
        this.solution = Objects.requireNonNull(solution, "solution");
        this.answer = answer;
    }

    /** Position in the generator's stream for its seed. */
    public long index() {
        return index;
    }

    /** E.g. {@code "347+589"}. */
    public String question() {
        return question;
    }

    /** The model's prompt: {@code question + "=?\n"}. */
    public String prompt() {
        return question + "=?\n";
    }

    /** E.g. {@code "7+9=16 carry 1. 4+8+1=13 carry 1. 3+5+1=9. Answer: 936"}. */
    public String solution() {
        return solution;
    }

    public long answer() {
        return answer;
    }

    /** Whether {@code response}'s final answer ({@link AnswerChecker#extract}) equals {@link #answer()}. */
    public boolean isCorrect(String response) {
        return AnswerChecker.extract(response).stream().anyMatch(a -> a == answer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArithmeticProblem other && index == other.index && answer == other.answer
                && question.equals(other.question) && solution.equals(other.solution);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, question, solution, answer);
    }

    @Override
    public String toString() {
        return question + " -> " + solution;
    }
}
