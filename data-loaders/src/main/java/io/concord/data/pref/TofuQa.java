package io.concord.data.pref;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One TOFU question–answer record. The plain splits ({@code forget01.json}, {@code retain90.json}, …) have only
 * {@code question} and {@code answer}; the {@code *_perturbed} evaluation splits add {@code paraphrased_answer},
 * {@code perturbed_answer} (a list) and, for the author splits, {@code paraphrased_question}; {@code real_authors} and
 * {@code world_facts} add multiple-choice {@code option1..option4}. Absent fields are null (strings) or empty (lists).
 * Fields are plain strings and string arrays, so the record travels through Kryo's field serializer.
 */
public final class TofuQa implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String question;
    private final String answer;
    private final String paraphrasedQuestion;
    private final String paraphrasedAnswer;
    private final String[] perturbedAnswers;
    private final String[] options;

    public TofuQa(String question, String answer, String paraphrasedQuestion, String paraphrasedAnswer,
                  List<String> perturbedAnswers, List<String> options) {
        this.question = Objects.requireNonNull(question, "question");
        this.answer = Objects.requireNonNull(answer, "answer");
        this.paraphrasedQuestion = paraphrasedQuestion;
        this.paraphrasedAnswer = paraphrasedAnswer;
        this.perturbedAnswers = perturbedAnswers.toArray(new String[0]);
        this.options = options.toArray(new String[0]);
    }

    public static TofuQa of(String question, String answer) {
        return new TofuQa(question, answer, null, null, List.of(), List.of());
    }

    public String question() {
        return question;
    }

    public String answer() {
        return answer;
    }

    /** Null in the plain splits. */
    public String paraphrasedQuestion() {
        return paraphrasedQuestion;
    }

    /** Null in the plain splits. */
    public String paraphrasedAnswer() {
        return paraphrasedAnswer;
    }

    public List<String> perturbedAnswers() {
        return List.of(perturbedAnswers);
    }

    public List<String> options() {
        return List.of(options);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TofuQa other && question.equals(other.question) && answer.equals(other.answer)
                && Objects.equals(paraphrasedQuestion, other.paraphrasedQuestion)
                && Objects.equals(paraphrasedAnswer, other.paraphrasedAnswer)
                && Arrays.equals(perturbedAnswers, other.perturbedAnswers) && Arrays.equals(options, other.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(question, answer, paraphrasedQuestion, paraphrasedAnswer, Arrays.hashCode(perturbedAnswers),
                Arrays.hashCode(options));
    }

    @Override
    public String toString() {
        return "TofuQa{question='" + question + "'}";
    }
}
