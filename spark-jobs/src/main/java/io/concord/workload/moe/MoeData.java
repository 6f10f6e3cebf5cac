package io.concord.workload.moe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeTask;
import io.concord.core.util.Seeds;
import io.concord.data.DataException;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import io.concord.data.moe.DomainDataGenerator;
import io.concord.data.moe.FeatureDomains;
import io.concord.data.moe.MoeJsonlReader;
import io.concord.data.moe.TokenDomains;
import io.concord.job.PerFileRead;
import io.concord.workload.source.SequenceColumns;
import io.concord.workload.source.SequenceTables;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The training and held-out examples of a {@code moe} run, and what the model's shape needs from them: the task,
 * the input dimension or vocabulary, the classes and the domain names. Generated data is produced on executors
 * (example i is a pure function of (seed, i)); JSONL files are scanned and read with one task per file.
 *
 * @param train      training examples
 * @param test       held-out examples (cached)
 * @param task       classification or next-token
 * @param inputDim   feature dimension (classification), else 0
 * @param numClasses classes (classification) or the vocabulary (next-token)
 * @param domains    domain names, index = domain id (may be empty)
 * @param source     what the data is, for messages
 * @param cached     a cached intermediate RDD to release with the held-out set (null if none)
 */
record MoeData(JavaRDD<MoeExample> train, JavaRDD<MoeExample> test, MoeTask task, int inputDim, int numClasses,
               List<String> domains, String source, JavaRDD<?> cached) {

    /** Unpersists the held-out set and any cached input. */
    void release() {
        test.unpersist(false);
        if (cached != null) {
            cached.unpersist(false);
        }
    }

    /** Held-out generated examples start at this index, far beyond any training index. */
    static final long TEST_OFFSET = 1L << 40;
    private static final long SPLIT_SALT = 0x5E1D_0F7L;

    static MoeData load(MoeJobConfig config, SparkSession spark, JavaSparkContext sc) {
        MoeJobConfig.Data data = config.data();
        if (data.generated()) {
            return generated(data.generate(), config.seed(), sc);
        }
        return data.tableSources().isEmpty() ? jsonl(data, config.seed(), sc) : tables(data, config.seed(), spark, sc);
    }

    // ---------------------------------------------------------------- generated

    static DomainDataGenerator generator(MoeJobConfig.Generate g, long seed) {
        if (g.tokens()) {
            return new TokenDomains(new TokenDomains.Config(g.domains(), g.vocabSize(), g.sharedTokens(),
                    g.seqLength(), g.successors(), g.sharedRate(), g.domainSkew()), seed);
        }
        return new FeatureDomains(new FeatureDomains.Config(g.domains(), g.dim(), g.classes(), g.separation(),
                g.domainSkew()), seed);
    }

    private static MoeData generated(MoeJobConfig.Generate g, long seed, JavaSparkContext sc) {
        DomainDataGenerator probe = generator(g, seed);
        JavaRDD<MoeExample> train = slices(sc, 0, g.examples()).flatMap(
                s -> generator(g, seed).examples(s[0], s[1]).iterator());
        JavaRDD<MoeExample> test = slices(sc, TEST_OFFSET, g.testExamples()).flatMap(
                s -> generator(g, seed).examples(s[0], s[1]).iterator());
        test.persist(StorageLevel.MEMORY_AND_DISK_SER());
        return g.tokens()
                ? new MoeData(train, test, MoeTask.NEXT_TOKEN, 0, g.vocabSize(), probe.domainNames(),
                "generated token domains", null)
                : new MoeData(train, test, MoeTask.CLASSIFICATION, g.dim(), g.classes(), probe.domainNames(),
                "generated feature domains", null);
    }

    /** Ranges {@code [from, to)} of example indices, about 1000 per task. */
    private static JavaRDD<long[]> slices(JavaSparkContext sc, long offset, int total) {
        int n = Math.max(1, Math.min(sc.defaultParallelism() * 2, (total + 999) / 1000));
        long per = (total + n - 1) / n;
        List<long[]> out = new ArrayList<>();
        for (long from = 0; from < total; from += per) {
            out.add(new long[] {offset + from, offset + Math.min(total, from + per)});
        }
        return sc.parallelize(out, out.size());
    }

    // ---------------------------------------------------------------- JSONL

    private static MoeData jsonl(MoeJobConfig.Data data, long seed, JavaSparkContext sc) {
        Configuration hadoop = sc.hadoopConfiguration();
        List<String> trainFiles = files(data.paths(), hadoop, "data.paths");
        List<String> testFiles = data.testPaths() == null ? List.of() : files(data.testPaths(), hadoop,
                "data.testPaths");
        List<String> all = new ArrayList<>(trainFiles);
        all.addAll(testFiles);
        ReadOptions reading = data.reading();
        String first = firstRecordKind(all, hadoop, reading);
        List<String> domains = new ArrayList<>(new TreeSet<>(PerFileRead.read(sc, all, reading,
                (i, file, conf, options, bad) -> MoeJsonlReader.scanDomains(fileSystem(file, conf), file, options,
                        bad)).distinct().collect()));
        int vocab = first.equals("text") ? MoeJsonlReader.BYTE_VOCAB : data.vocabSize();
        int trainFileCount = trainFiles.size();
        boolean split = testFiles.isEmpty();
        double testFraction = data.testFraction();
        List<String> domainList = List.copyOf(domains);
        // (held out?, example); the held-out choice is a seeded hash of (file, record), so it does not depend on
        // partitioning or on the order tasks run.
        JavaRDD<Tuple2<Boolean, MoeExample>> tagged = PerFileRead.read(sc, all, reading, (f, file, conf, o, bad) -> {
            List<MoeExample> examples = new MoeJsonlReader(domainList, vocab).read(fileSystem(file, conf), file, o,
                    bad);
            List<Tuple2<Boolean, MoeExample>> out = new ArrayList<>(examples.size());
            for (int r = 0; r < examples.size(); r++) {
                boolean heldOut;
                if (f >= trainFileCount) {
                    heldOut = true;
                } else if (split) {
                    heldOut = (Seeds.mix(seed, SPLIT_SALT, f, r) >>> 11) * 0x1.0p-53 < testFraction;
                } else {
                    heldOut = false;
                }
                out.add(new Tuple2<>(heldOut, examples.get(r)));
            }
            return out;
        });
        return of(tagged, String.join(",", data.paths()), split ? null : String.join(",", data.testPaths()), vocab,
                domainList);
    }

    // ---------------------------------------------------------------- Spark SQL sources

    /**
     * Token sequences from a Spark SQL source (and an optional held-out one). A single source is split like one
     * JSONL file: row r (in id order, or Spark's read order) is held out by the same seeded hash of (0, r).
     */
    private static MoeData tables(MoeJobConfig.Data data, long seed, SparkSession spark, JavaSparkContext sc) {
        List<TableSource> sources = data.tableSources();
        SequenceColumns columns = data.columns();
        List<Dataset<Row>> selected = sources.stream().map(t -> SequenceTables.select(spark, t, columns)).toList();
        List<String> domains = SequenceTables.domains(selected);
        int vocab = columns.isText() ? MoeJsonlReader.BYTE_VOCAB : data.vocabSize();
        JavaRDD<MoeExample> train = SequenceTables.examples(sc, sources.get(0), selected.get(0), columns, domains,
                vocab, data.onBadRecord());
        JavaRDD<Tuple2<Boolean, MoeExample>> tagged;
        if (sources.size() > 1) {
            JavaRDD<MoeExample> test = SequenceTables.examples(sc, sources.get(1), selected.get(1), columns,
                    domains, vocab, data.onBadRecord());
            tagged = train.map(x -> new Tuple2<>(false, x)).union(test.map(x -> new Tuple2<>(true, x)));
        } else {
            double testFraction = data.testFraction();
            tagged = train.zipWithIndex().map(t -> new Tuple2<>(
                    (Seeds.mix(seed, SPLIT_SALT, 0, t._2()) >>> 11) * 0x1.0p-53 < testFraction, t._1()));
        }
        return of(tagged, sources.get(0).describe(), sources.size() > 1 ? sources.get(1).describe() : null, vocab,
                domains);
    }

    /**
     * The data of (held out?, example) records: the shape checks of the whole set (one pass), then the training and
     * held-out examples.
     *
     * @param testSource the held-out source, or null when the held-out examples are a share of {@code source}
     */
    private static MoeData of(JavaRDD<Tuple2<Boolean, MoeExample>> tagged, String source, String testSource,
                              int vocab, List<String> domainList) {
        boolean split = testSource == null;
        tagged.persist(StorageLevel.MEMORY_AND_DISK_SER());

        // [count, kind (1 features, 2 tokens, 3 both), min dim, max dim, max label or id]
        long[] shape = tagged.map(t -> shapeOf(t._2())).fold(new long[] {0, 0, Long.MAX_VALUE, 0, -1},
                MoeData::mergeShape);
        if (shape[0] == 0) {
            throw new DataException(source, "no examples found (the dataset is empty)");
        }
        if (shape[1] == 3) {
            throw new DataException(source, "mixes \"features\" records with \"text\"/\"tokens\" records");
        }
        boolean features = shape[1] == 1;
        if (features && shape[2] != shape[3]) {
            throw new DataException(source, "\"features\" records have dimensions " + shape[2] + " to " + shape[3]
                    + " across files; every record needs the same dimension");
        }
        JavaRDD<MoeExample> train = tagged.filter(t -> !t._1()).map(Tuple2::_2);
        JavaRDD<MoeExample> test = tagged.filter(Tuple2::_1).map(Tuple2::_2);
        test.persist(StorageLevel.MEMORY_AND_DISK_SER());
        if (test.isEmpty()) {
            throw new DataException(split ? source : testSource,
                    "no held-out examples" + (split ? " (raise data.testFraction or set data.testPaths)" : ""));
        }
        if (features) {
            int classes = (int) shape[4] + 1;
            if (classes < 2) {
                throw new DataException(source, "every \"label\" is 0; classification needs at least 2 classes");
            }
            return new MoeData(train, test, MoeTask.CLASSIFICATION, (int) shape[2], classes, domainList, source,
                    tagged);
        }
        int vocabulary = vocab > 0 ? vocab : (int) Math.max(2, shape[4] + 1);
        return new MoeData(train, test, MoeTask.NEXT_TOKEN, 0, vocabulary, domainList, source, tagged);
    }

    private static long[] shapeOf(MoeExample x) {
        if (x.hasFeatures()) {
            return new long[] {1, 1, x.features().length, x.features().length, x.label()};
        }
        int max = -1;
        for (int t : x.tokens()) {
            max = Math.max(max, t);
        }
        return new long[] {1, 2, Long.MAX_VALUE, 0, max};
    }

    private static long[] mergeShape(long[] a, long[] b) {
        return new long[] {a[0] + b[0], a[1] | b[1], Math.min(a[2], b[2]), Math.max(a[3], b[3]), Math.max(a[4], b[4])};
    }

    /** The files named by {@code paths}: each file itself, each directory's visible files in name order. */
    static List<String> files(List<String> paths, Configuration hadoop, String key) {
        return InputFiles.list(paths, hadoop, key).stream().map(Path::toString).toList();
    }

    /** "features", "text" or "tokens": the kind of the first good record, which fixes the vocabulary of text. */
    private static String firstRecordKind(List<String> files, Configuration hadoop, ReadOptions reading) {
        ObjectMapper json = new ObjectMapper();
        BadRecords bad = new BadRecords(reading.onBadRecord());
        for (String f : files) {
            try (TextLines lines = InputFiles.lines(new Path(f), hadoop, reading, bad)) {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(line);
                    } catch (IOException e) {
                        lines.reject("invalid JSON: " + e.getMessage());
                        continue;
                    }
                    for (String kind : List.of("features", "text", "tokens")) {
                        if (node != null && node.has(kind)) {
                            return kind;
                        }
                    }
                    lines.reject("expected one of \"features\", \"text\", \"tokens\"");
                }
            }
        }
        throw new DataException(String.join(",", files), "no examples found (the dataset is empty)");
    }

    static FileSystem fileSystem(Path file, Configuration conf) {
        try {
            return file.getFileSystem(conf);
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot open its file system: " + e.getMessage(), e);
        }
    }
}
