package io.concord.data.pref;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArithmeticTaskTest {

    @Test
    void workedSolutionsOfTheDocumentedExamples() {
        assertThat(ArithmeticTask.add(0, 347, 589).solution())
                .isEqualTo("7+9=16 carry 1. 4+8+1=13 carry 1. 3+5+1=9. Answer: 936");
        assertThat(ArithmeticTask.subtract(0, 532, 187).solution())
                .isEqualTo("2-7+10=5 borrow 1. 3-1-8+10=4 borrow 1. 5-1-1=3. Answer: 345");
        assertThat(ArithmeticTask.multiply(0, 347, 6).solution())
                .isEqualTo("7*6=42 carry 4. 4*6+4=28 carry 2. 3*6+2=20 carry 2. Answer: 2082");
        assertThat(ArithmeticTask.add(0, 95, 7).solution()).isEqualTo("5+7=12 carry 1. 9+0+1=10 carry 1. Answer: 102");
        assertThat(ArithmeticTask.add(0, 95, 7).prompt()).isEqualTo("95+7=?\n");
    }

    @Test
    void everyGeneratedAnswerIsRightAndItsSolutionChecksOut() {
        ArithmeticTask task = new ArithmeticTask(1, 5, EnumSet.allOf(ArithmeticTask.Operation.class));
        for (ArithmeticProblem p : task.generate(17, 0, 3000)) {
            String q = p.question();
            long expected;
            if (q.contains("+")) {
                String[] s = q.split("\\+");
                expected = Long.parseLong(s[0]) + Long.parseLong(s[1]);
            } else if (q.contains("-")) {
                String[] s = q.split("-");
                expected = Long.parseLong(s[0]) - Long.parseLong(s[1]);
                assertThat(expected).isNotNegative();
            } else {
                String[] s = q.split("\\*");
                expected = Long.parseLong(s[0]) * Long.parseLong(s[1]);
            }
            assertThat(p.answer()).as(q).isEqualTo(expected);
            assertThat(p.isCorrect(p.solution())).isTrue();
            assertThat(p.isCorrect(p.solution() + "1")).isFalse();
        }
    }

    @Test
    void deterministicPerSeedAndIndex() {
        ArithmeticTask task = ArithmeticTask.addition(2, 4);
        List<ArithmeticProblem> a = task.generate(5, 0, 50);
        assertThat(task.generate(5, 0, 50)).isEqualTo(a);
        assertThat(task.generate(5, 20, 10)).isEqualTo(a.subList(20, 30));
        assertThat(task.generate(6, 0, 50)).isNotEqualTo(a);
        for (ArithmeticProblem p : a) {
            int digits = p.question().split("\\+")[0].length();
            assertThat(digits).isBetween(2, 4);
        }
    }

    @Test
    void heldOutSplitIsByQuestionText() {
        ArithmeticTask task = ArithmeticTask.addition(2, 3);
        List<ArithmeticProblem> ps = task.generate(1, 0, 5000);
        long held = ps.stream().filter(p -> ArithmeticTask.isHeldOut(p.question(), 0.2)).count();
        assertThat(held).isBetween(850L, 1150L);
        for (ArithmeticProblem p : ps) {
            assertThat(ArithmeticTask.isHeldOut(p.question(), 0.2))
                    .isEqualTo(ArithmeticTask.isHeldOut(new String(p.question()), 0.2));
        }
    }

    @Test
    void answerExtraction() {
        assertThat(AnswerChecker.extract("Answer: 12")).isEqualTo(OptionalLong.of(12));
        assertThat(AnswerChecker.extract("Answer: 3. ... Answer:  -45 done")).isEqualTo(OptionalLong.of(-45));
        assertThat(AnswerChecker.extract("Answer: x")).isEmpty();
        assertThat(AnswerChecker.extract("the answer is 4")).isEmpty();
        assertThat(AnswerChecker.extract("Answer: 99999999999999999999999")).isEmpty();
        assertThat(AnswerChecker.extract("Answer: ٣")).isEmpty();
    }

    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> ArithmeticTask.addition(0, 3)).hasMessageStartingWith("task.min_digits");
        assertThatThrownBy(() -> new ArithmeticTask(1, 2, EnumSet.noneOf(ArithmeticTask.Operation.class)))
                .hasMessageStartingWith("task.operations");
    }
}
