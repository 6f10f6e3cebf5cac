package io.concord.workload.pref;

import io.concord.core.lm.CharVocabulary;
import io.concord.data.DataException;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.ReadOptions;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.ArithmeticTask;
import io.concord.data.pref.PreferencePairReader;
import io.concord.data.pref.RankedListReader;
import io.concord.data.pref.TextPair;
import io.concord.data.pref.TextRanked;
import io.concord.data.pref.TofuQa;
import io.concord.data.pref.TofuReader;
import io.concord.data.pref.VocabularyFiles;
import io.concord.job.PerFileRead;
import io.concord.workload.source.PairColumns;
import io.concord.workload.source.PairTables;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.TofuColumns;
import io.concord.workload.source.TofuTables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Input of the preference jobs as RDDs: text records read one task per file on executors (so a parse error names the
 * file and line, and {@code data.onBadRecord: skip} counts are per file), generated arithmetic problems one slice per task, and a character vocabulary counted in parallel.
 */
final class PrefData {

    private PrefData() {
    }

    static JavaRDD<TextPair> pairs(JavaSparkContext sc, String path) {
        return pairs(sc, path, ReadOptions.defaults());
    }

    static JavaRDD<TextPair> pairs(JavaSparkContext sc, String path, ReadOptions options) {
        return perFile(sc, files(sc, path), options, PreferencePairReader::read);
    }

    /** The pairs of a Spark SQL source when {@code table} is not null, else of the files at {@code path}. */
    static JavaRDD<TextPair> pairs(SparkSession spark, TableSource table, PairColumns columns, String path,
                                   ReadOptions options) {
        if (table != null) {
            return PairTables.read(spark, table, columns, options.onBadRecord());
        }
        return pairs(JavaSparkContext.fromSparkContext(spark.sparkContext()), path, options);
    }

    static JavaRDD<TextRanked> ranked(JavaSparkContext sc, String path) {
        return ranked(sc, path, ReadOptions.defaults());
    }

    static JavaRDD<TextRanked> ranked(JavaSparkContext sc, String path, ReadOptions options) {
        return perFile(sc, files(sc, path), options, RankedListReader::read);
    }

    /**
     * TOFU splits {@code <dir>/<split>.json} (or {@code dir} with {@code {split}} replaced), in the order given.
     */
    static JavaRDD<TofuQa> tofu(JavaSparkContext sc, String directory, List<String> splits) {
        return tofu(sc, directory, splits, ReadOptions.defaults());
    }

    static JavaRDD<TofuQa> tofu(JavaSparkContext sc, String directory, List<String> splits, ReadOptions options) {
        List<String> files = splits.stream().map(s -> new Path(TofuTables.name(directory, s, ".json")).toString())
                .toList();
        return perFile(sc, files, options, TofuReader::read);
    }

    /**
     * TOFU splits in the order given: the Spark SQL source of each split when {@code tables} has them (one per
     * split, read on the executors; {@link TofuTables}), else the JSON files of {@code directory}.
     */
    static JavaRDD<TofuQa> tofu(SparkSession spark, List<TableSource> tables, TofuColumns columns, String directory,
                                List<String> splits, ReadOptions options) {
        if (tables.isEmpty()) {
            return tofu(JavaSparkContext.fromSparkContext(spark.sparkContext()), directory, splits, options);
        }
        JavaRDD<TofuQa> out = null;
        for (TableSource t : tables) {
            JavaRDD<TofuQa> split = TofuTables.read(spark, t, columns, options.onBadRecord());
            out = out == null ? split : out.union(split);
        }
        return out;
    }

    static List<String> files(JavaSparkContext sc, String path) {
        return InputFiles.list(new Path(path), sc.hadoopConfiguration()).stream().map(Path::toString).toList();
    }

    private static <T> JavaRDD<T> perFile(JavaSparkContext sc, List<String> files, ReadOptions options,
                                          FileReader<T> reader) {
        return PerFileRead.read(sc, files, options, (i, file, conf, o, bad) -> reader.read(file, conf, o, bad));
    }

    /** A reader of one file's records under given options. */
    @FunctionalInterface
    interface FileReader<T> extends Serializable {
        List<T> read(Path file, Configuration conf, ReadOptions options, BadRecords bad);
    }

    /** Training problems of the arithmetic section (held-out question texts removed), generated per slice. */
    static JavaRDD<ArithmeticProblem> arithmeticTrain(JavaSparkContext sc, ArithmeticSection a) {
        ArithmeticTask task = a.task();
        long seed = a.seed();
        double fraction = a.heldOutFraction();
        return slices(sc, a.examples()).flatMap(s -> task.generate(seed, s[0], (int) s[1]).stream()
                .filter(p -> !ArithmeticTask.isHeldOut(p.question(), fraction)).iterator());
    }

    static JavaRDD<long[]> slices(JavaSparkContext sc, int total) {
        int n = Math.max(1, Math.min(sc.defaultParallelism() * 2, (total + 499) / 500));
        List<long[]> slices = new ArrayList<>();
        long per = (total + n - 1) / n;
        for (long from = 0; from < total; from += per) {
            slices.add(new long[] {from, Math.min(per, total - from)});
        }
        return sc.parallelize(slices, slices.size());
    }

    /**
     * A character vocabulary of {@code texts}: characters by descending count, ties by code point, the
     * {@code maxCharacters} most frequent kept (the order {@link CharVocabulary#build} uses), counted in parallel.
     */
    static CharVocabulary vocabulary(JavaRDD<String> texts, int maxCharacters) {
        HashMap<Integer, Long> counts = texts.mapPartitions(it -> {
            HashMap<Integer, Long> m = new HashMap<>();
            it.forEachRemaining(t -> t.codePoints().forEach(cp -> m.merge(cp, 1L, Long::sum)));
            return List.of(m).iterator();
        }).reduce((a, b) -> {
            b.forEach((k, v) -> a.merge(k, v, Long::sum));
            return a;
        });
        if (counts.isEmpty()) {
            throw new DataException("training data", "no characters to build a vocabulary from (all texts empty)");
        }
        int[] kept = counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(maxCharacters)
                .mapToInt(Map.Entry::getKey)
                .toArray();
        return CharVocabulary.of(kept);
    }

    static CharVocabulary loadVocabulary(JavaSparkContext sc, String path) {
        return VocabularyFiles.load(new Path(path), sc.hadoopConfiguration());
    }
}
