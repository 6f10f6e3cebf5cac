package io.concord.data.pref;

import io.concord.core.param.ParamException;
import io.concord.core.util.Seeds;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A checkable reasoning task: multi-digit addition, subtraction (non-negative results) and multiplication by one digit,
 * each with a worked column-by-column solution and a final {@code "Answer: <n>"}. Problem {@code i} of seed
 * {@code s} is a pure function of (s, i), so any slice of the stream can be generated independently (e.g. per
 * partition) and reproduced.
 *
 * <p>Solution formats (columns from the units digit up):
 * <ul>
 *   <li>{@code 347+589}: {@code "7+9=16 carry 1. 4+8+1=13 carry 1. 3+5+1=9. Answer: 936"};</li>
 *   <li>{@code 532-187}: {@code "2-7+10=5 borrow 1. 3-1-8+10=4 borrow 1. 5-1-1=3. Answer: 345"};</li>
 *   <li>{@code 347*6}: {@code "7*6=42 carry 4. 4*6+4=28 carry 2. 3*6+2=20 carry 2. Answer: 2082"}.</li>
 * </ul>
 */
public final class ArithmeticTask implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Operations the generator draws from. */
    public enum Operation { ADD, SUBTRACT, MULTIPLY }

    private final int minDigits;
    private final int maxDigits;
    private final Operation[] operations;

    public ArithmeticTask(int minDigits, int maxDigits, Set<Operation> operations) {
        if (minDigits < 1 || maxDigits < minDigits || maxDigits > 17) {
            throw new IllegalArgumentException("task.min_digits/max_digits: need 1 <= min <= max <= 17, got "
                    + minDigits + ", " + maxDigits);
        }
        if (operations.isEmpty()) {
            throw new ParamException("task.operations", "at least one operation is needed");
        }
        this.minDigits = minDigits;
        this.maxDigits = maxDigits;
        this.operations = EnumSet.copyOf(operations).toArray(new Operation[0]);
    }

    public static ArithmeticTask addition(int minDigits, int maxDigits) {
        return new ArithmeticTask(minDigits, maxDigits, EnumSet.of(Operation.ADD));
    }

    /** Problems {@code [from, from + count)} of the stream for {@code seed}. */
    public List<ArithmeticProblem> generate(long seed, long from, int count) {
        List<ArithmeticProblem> out = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            out.add(problem(seed, i));
        }
        return out;
    }

    public ArithmeticProblem problem(long seed, long index) {
        SplittableRandom r = Seeds.stream(seed, 0xA417L, index);
        Operation op = operations[r.nextInt(operations.length)];
        long a = number(r);
        return switch (op) {
            case ADD -> add(index, a, number(r));
            case SUBTRACT -> {
                long b = number(r);
                yield subtract(index, Math.max(a, b), Math.min(a, b));
            }
            case MULTIPLY -> multiply(index, a, 2 + r.nextInt(8));
        };
    }

    /**
     * Deterministic held-out membership by question text (a hash, not the index), so a question never appears in both
     * a training and a held-out set however the streams are sliced.
     */
    public static boolean isHeldOut(String question, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new ParamException("task.held_out_fraction", "" + fraction + " must be in [0, 1]");
        }
        long h = Seeds.mix(0x4E1DL, question.hashCode(), question.length());
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    private long number(SplittableRandom r) {
        int digits = minDigits + r.nextInt(maxDigits - minDigits + 1);
        long lo = digits == 1 ? 0 : pow10(digits - 1);
        return lo + r.nextLong(pow10(digits) - lo);
    }

    private static long pow10(int k) {
        long p = 1;
        for (int i = 0; i < k; i++) {
            p *= 10;
        }
        return p;
    }

    static ArithmeticProblem add(long index, long a, long b) {
        StringBuilder sb = new StringBuilder();
        int[] da = digits(a);
        int[] db = digits(b);
        int carry = 0;
        for (int i = 0; i < Math.max(da.length, db.length); i++) {
            int x = i < da.length ? da[i] : 0;
            int y = i < db.length ? db[i] : 0;
            int s = x + y + carry;
            sb.append(x).append('+').append(y);
            if (carry > 0) {
                sb.append('+').append(carry);
            }
            sb.append('=').append(s);
            carry = s / 10;
            sb.append(carry > 0 ? " carry " + carry + ". " : ". ");
        }
        long answer = a + b;
        sb.append(AnswerChecker.MARKER).append(' ').append(answer);
        return new ArithmeticProblem(index, a + "+" + b, sb.toString(), answer);
    }

    static ArithmeticProblem subtract(long index, long a, long b) {
        StringBuilder sb = new StringBuilder();
        int[] da = digits(a);
        int[] db = digits(b);
        int borrow = 0;
        for (int i = 0; i < da.length; i++) {
            int x = da[i];
            int y = i < db.length ? db[i] : 0;
            sb.append(x);
            if (borrow > 0) {
                sb.append("-1");
            }
            sb.append('-').append(y);
            int d = x - borrow - y;
            if (d < 0) {
                sb.append("+10=").append(d + 10).append(" borrow 1. ");
                borrow = 1;
            } else {
                sb.append('=').append(d).append(". ");
                borrow = 0;
            }
        }
        long answer = a - b;
        sb.append(AnswerChecker.MARKER).append(' ').append(answer);
        return new ArithmeticProblem(index, a + "-" + b, sb.toString(), answer);
    }

    static ArithmeticProblem multiply(long index, long a, int b) {
        StringBuilder sb = new StringBuilder();
        int carry = 0;
        for (int x : digits(a)) {
            int p = x * b + carry;
            sb.append(x).append('*').append(b);
            if (carry > 0) {
                sb.append('+').append(carry);
            }
            sb.append('=').append(p);
            carry = p / 10;
            sb.append(carry > 0 ? " carry " + carry + ". " : ". ");
        }
        long answer = a * b;
        sb.append(AnswerChecker.MARKER).append(' ').append(answer);
        return new ArithmeticProblem(index, a + "*" + b, sb.toString(), answer);
    }

    /** Decimal digits, least significant first ({@code 0} → {@code [0]}). */
    private static int[] digits(long v) {
        String s = Long.toString(v);
        int[] d = new int[s.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.charAt(s.length() - 1 - i) - '0';
        }
        return d;
    }
}
