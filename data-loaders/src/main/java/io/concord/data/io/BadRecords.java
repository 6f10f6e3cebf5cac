package io.concord.data.io;

import io.concord.data.DataException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bad records met while reading, under one {@link OnBadRecord} policy: {@link #reject} throws a
 * {@link DataException} naming file and line in {@code fail} mode, and in {@code skip} mode counts the record per
 * source and keeps the first {@value #KEPT_REASONS} reasons of each source.
 *
 * <p>{@link #merge} keeps, per source, the tally with more records: every source is read whole by one reader, so a
 * source read twice (a retried task, a second pass) is counted once.
 */
public final class BadRecords implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Reasons kept per source (and reported overall). */
    public static final int KEPT_REASONS = 5;

    private final OnBadRecord policy;
    private final TreeMap<String, Tally> bySource = new TreeMap<>();

    public BadRecords(OnBadRecord policy) {
        this.policy = policy;
    }

    public OnBadRecord policy() {
        return policy;
    }

    /**
     * A bad record at {@code source:line}: throws in {@code fail} mode, else counts it. Callers drop the record after
     * this returns.
     */
    public void reject(String source, long line, String reason) {
        if (policy == OnBadRecord.FAIL) {
            throw new DataException(source, line, reason);
        }
        Tally t = bySource.computeIfAbsent(source, s -> new Tally());
        t.count++;
        if (t.reasons.size() < KEPT_REASONS) {
            t.reasons.add(source + (line > 0 ? ":" + line : "") + ": " + reason);
        }
    }

    /** Every skipped record. */
    public long total() {
        long n = 0;
        for (Tally t : bySource.values()) {
            n += t.count;
        }
        return n;
    }

    public boolean isEmpty() {
        return bySource.isEmpty();
    }

    /** Skipped records per source, in source order. */
    public Map<String, Long> countsBySource() {
        Map<String, Long> out = new TreeMap<>();
        bySource.forEach((s, t) -> out.put(s, t.count));
        return out;
    }

    /** The first {@value #KEPT_REASONS} reasons ({@code file:line: problem}), sources in name order. */
    public List<String> firstReasons() {
        List<String> out = new ArrayList<>();
        for (Tally t : bySource.values()) {
            for (String r : t.reasons) {
                if (out.size() == KEPT_REASONS) {
                    return out;
                }
                out.add(r);
            }
        }
        return out;
    }

    /** Adds {@code other}'s sources; a source in both keeps the larger tally (read once, counted once). */
    public void merge(BadRecords other) {
        other.bySource.forEach((source, t) -> {
            Tally mine = bySource.get(source);
            if (mine == null || t.count > mine.count) {
                bySource.put(source, t.copy());
            }
        });
    }

    public BadRecords copy() {
        BadRecords c = new BadRecords(policy);
        c.merge(this);
        return c;
    }

    @Override
    public String toString() {
        return total() + " skipped bad record(s)" + (isEmpty() ? "" : "; first: " + firstReasons());
    }

    private static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        final List<String> reasons = new ArrayList<>();

        Tally copy() {
            Tally c = new Tally();
            c.count = count;
            c.reasons.addAll(reasons);
            return c;
        }
    }
}
