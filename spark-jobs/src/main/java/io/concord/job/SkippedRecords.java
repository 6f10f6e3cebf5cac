package io.concord.job;

import io.concord.data.io.BadRecords;
import io.concord.data.io.OnBadRecord;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The records a run skipped under {@code data.onBadRecord: skip}, gathered from the readers on executors and on the
 * driver: one accumulator per Spark context. Readers add one {@link BadRecords} per source read; a source read again
 * (retried task, recomputed partition, second pass) is counted once ({@link BadRecords#merge}). At the end of a run
 * the count and the first reasons go to the log, the console and {@code summary.json} ({@code details.badRecords}).
 */
public final class SkippedRecords extends AccumulatorV2<BadRecords, BadRecords> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);
    private static final Map<SparkContext, SkippedRecords> BY_CONTEXT = new WeakHashMap<>();

    private BadRecords value = new BadRecords(OnBadRecord.SKIP);

    /** The accumulator of {@code sc}, registered on first use. */
    public static SkippedRecords of(JavaSparkContext sc) {
        synchronized (BY_CONTEXT) {
            return BY_CONTEXT.computeIfAbsent(sc.sc(), c -> {
                SkippedRecords acc = new SkippedRecords();
                c.register(acc, "concord.skippedRecords");
                return acc;
            });
        }
    }

    /**
     * {@code result} with {@code details.badRecords} ({@code skipped}, {@code bySource}, {@code first}) when the run
     * skipped records; also logged and printed.
     */
    public static JobResult report(JobResult result, JavaSparkContext sc, PrintStream console) {
        SkippedRecords acc;
        synchronized (BY_CONTEXT) {
            acc = BY_CONTEXT.get(sc.sc());
        }
        if (acc == null || acc.value.isEmpty()) {
            return result;
        }
        BadRecords bad = acc.value();
        LOG.warn("data.onBadRecord: skip dropped {} bad record(s); first: {}", bad.total(), bad.firstReasons());
        console.println("skipped " + bad.total() + " bad record(s) (data.onBadRecord: skip); first: "
                + String.join("; ", bad.firstReasons()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("skipped", bad.total());
        report.put("bySource", bad.countsBySource());
        report.put("first", bad.firstReasons());
        Map<String, Object> details = new LinkedHashMap<>(result.details());
        details.put("badRecords", report);
        return new JobResult(result.rounds(), result.finalLoss(), result.metrics(), details);
    }

    @Override
    public boolean isZero() {
        return value.isEmpty();
    }

    @Override
    public AccumulatorV2<BadRecords, BadRecords> copy() {
        SkippedRecords c = new SkippedRecords();
        c.value = value.copy();
        return c;
    }

    @Override
    public void reset() {
        value = new BadRecords(OnBadRecord.SKIP);
    }

    @Override
    public void add(BadRecords v) {
        value.merge(v);
    }

    @Override
    public void merge(AccumulatorV2<BadRecords, BadRecords> other) {
        value.merge(other.value());
    }

    @Override
    public BadRecords value() {
        return value.copy();
    }
}
