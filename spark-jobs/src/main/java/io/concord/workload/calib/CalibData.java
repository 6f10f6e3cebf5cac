package io.concord.workload.calib;

import io.concord.config.ConfigException;
import io.concord.core.util.Seeds;
import io.concord.data.DataException;
import io.concord.data.calib.CalibDataException;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairGenerator;
import io.concord.data.calib.StereoRigConfig;
import io.concord.data.calib.StereoShardReader;
import io.concord.data.calib.StereoShardWriter;
import io.concord.workload.source.ImagePairColumns;
import io.concord.workload.source.ImagePairTables;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The training and held-out stereo pairs of a {@code calib} run, read from shards on a Hadoop FileSystem with one
 * task per shard (so a bad record fails the run with a {@link CalibDataException} naming the file and the record),
 * plus what the model needs from them: the image size and the physical labels (for the parameter scaling and the
 * median baseline).
 *
 * @param train       training pairs (not cached: the engine caches its shards)
 * @param test        held-out pairs
 * @param width       image width of every record, pixels
 * @param height      image height
 * @param trainLabels physical labels of the training pairs, one row per record
 * @param testLabels  physical labels of the held-out pairs
 * @param source      what the data is, for messages
 */
record CalibData(JavaRDD<StereoPair> train, JavaRDD<StereoPair> test, int width, int height, double[][] trainLabels,
                 double[][] testLabels, String source) {

    /** Held-out generated pairs start at this index, far beyond any training index (other camera configurations). */
    static final long TEST_OFFSET = 1L << 40;
    /** The generator settings of a generated dataset directory, written first. */
    static final String GENERATOR_SPEC = "_GENERATOR";
    private static final long SPLIT_SALT = 0x7E57_5EEDL;

    /** Generates (or reuses) the configured data, then reads it. */
    static CalibData load(CalibJobConfig config, SparkSession spark, JavaSparkContext sc, Path generatedDefault,
                          PrintStream console) {
        CalibJobConfig.Data data = config.data();
        if (!data.tableSources().isEmpty()) {
            return tables(data, config.seed(), spark, sc);
        }
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        if (data.generate() != null) {
            Path root = data.generate().path() != null ? new Path(data.generate().path()) : generatedDefault;
            generate(sc, data.generate(), root, console);
            return of(read(sc, train(root), conf), read(sc, test(root), conf), train(root), test(root),
                    "generated pairs in " + root, conf);
        }
        Path path = new Path(data.path());
        if (data.testPath() != null) {
            Path testPath = new Path(data.testPath());
            return of(read(sc, path, conf), read(sc, testPath, conf), path, testPath, data.path(), conf);
        }
        JavaRDD<StereoPair> all = read(sc, path, conf);
        long seed = config.seed();
        double fraction = data.testFraction();
        return of(all.filter(p -> !heldOut(seed, p.id(), fraction)), all.filter(p -> heldOut(seed, p.id(), fraction)),
                path, path, data.path(), conf);
    }

    static Path train(Path root) {
        return new Path(root, "train");
    }

    static Path test(Path root) {
        return new Path(root, "test");
    }

    /** Whether record {@code id} is held out: a seeded hash, independent of partitioning and task order. */
    static boolean heldOut(long seed, String id, double fraction) {
        return (Seeds.mix(seed, SPLIT_SALT, id.hashCode(), id.length()) >>> 11) * 0x1.0p-53 < fraction;
    }

    /** The pairs of {@code trainDir} and {@code testDir} (shard datasets), with their labels read. */
    static CalibData read(JavaSparkContext sc, Path trainDir, Path testDir, String source) {
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        return of(read(sc, trainDir, conf), read(sc, testDir, conf), trainDir, testDir, source, conf);
    }

    private static CalibData of(JavaRDD<StereoPair> train, JavaRDD<StereoPair> test, Path trainDir, Path testDir,
                                String source, SerializableConfiguration conf) {
        int[] size = imageSize(trainDir, conf.value(), null);
        if (!testDir.equals(trainDir)) {
            imageSize(testDir, conf.value(), size);
        }
        return withLabels(train, test, size, trainDir.toString(), testDir.equals(trainDir) ? null
                : testDir.toString(), source);
    }

    /**
     * Image pairs from Spark SQL sources ({@link ImagePairTables}), in id order. A single source is split like a
     * shard dataset: by the seeded hash of each record's id ({@link #heldOut}), so a table and shards holding the same
     * records (same ids) give the same training and held-out pairs.
     */
    private static CalibData tables(CalibJobConfig.Data data, long seed, SparkSession spark, JavaSparkContext sc) {
        List<TableSource> sources = data.tableSources();
        ImagePairColumns columns = data.columns();
        List<Dataset<Row>> selected = sources.stream().map(t -> ImagePairTables.select(spark, t, columns)).toList();
        int[] size = ImagePairTables.imageSize(sources, selected, columns);
        JavaRDD<StereoPair> all = ImagePairTables.pairs(sc, sources.get(0), selected.get(0), columns,
                data.onBadRecord());
        String train = sources.get(0).describe();
        if (sources.size() > 1) {
            String test = sources.get(1).describe();
            return withLabels(all, ImagePairTables.pairs(sc, sources.get(1), selected.get(1), columns,
                    data.onBadRecord()), size, train, test, train + " + " + test);
        }
        double fraction = data.testFraction();
        return withLabels(all.filter(p -> !heldOut(seed, p.id(), fraction)),
                all.filter(p -> heldOut(seed, p.id(), fraction)), size, train, null, train);
    }

    /**
     * @param testName the held-out source, or null when the held-out pairs are a share of {@code trainName}'s
     */
    private static CalibData withLabels(JavaRDD<StereoPair> train, JavaRDD<StereoPair> test, int[] size,
                                        String trainName, String testName, String source) {
        double[][] trainLabels = labels(train);
        if (trainLabels.length == 0) {
            throw new DataException(trainName, "no training pairs (the dataset is empty)");
        }
        double[][] testLabels = labels(test);
        if (testLabels.length == 0) {
            throw new DataException(testName == null ? trainName : testName, "no held-out pairs"
                    + (testName == null ? " (raise data.testFraction or set data.testPath / data.testTable)" : ""));
        }
        return new CalibData(train, test, size[0], size[1], trainLabels, testLabels, source);
    }

    /** Reads every record (one task per shard): the pass that surfaces bad records, before training starts. */
    private static double[][] labels(JavaRDD<StereoPair> pairs) {
        List<float[]> rows = pairs.map(StereoPair::label).collect();
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] r = rows.get(i);
            out[i] = new double[r.length];
            for (int k = 0; k < r.length; k++) {
                out[i][k] = r[k];
            }
        }
        return out;
    }

    /** The records of the dataset in {@code dir}, one partition per shard listed in its manifest. */
    static JavaRDD<StereoPair> read(JavaSparkContext sc, Path dir, SerializableConfiguration conf) {
        List<StereoDataset.Shard> shards = StereoDataset.shards(fileSystem(dir, conf.value()), dir);
        if (shards.isEmpty()) {
            throw new DataException(new Path(dir, StereoDataset.MANIFEST).toString(),
                    "lists no shards (the dataset is empty)");
        }
        List<Tuple2<String, Long>> list = new ArrayList<>();
        for (StereoDataset.Shard s : shards) {
            list.add(new Tuple2<>(s.path().toString(), s.records()));
        }
        return sc.parallelize(list, list.size()).flatMap(t -> readShard(t._1(), t._2(), conf.value()).iterator());
    }

    private static List<StereoPair> readShard(String file, long expected, Configuration conf) {
        Path path = new Path(file);
        List<StereoPair> records = StereoShardReader.readAll(fileSystem(path, conf), path);
        if (records.size() != expected) {
            throw new CalibDataException(path, "holds " + records.size() + " records but its manifest lists "
                    + expected);
        }
        return records;
    }

    /**
     * {@code [width, height]} of the dataset in {@code dir}, from the shard headers (read on the driver); every shard,
     * and {@code expected} when it is not null, must agree.
     */
    static int[] imageSize(Path dir, Configuration conf, int[] expected) {
        FileSystem fs = fileSystem(dir, conf);
        int[] size = expected;
        Path first = null;
        for (StereoDataset.Shard s : StereoDataset.shards(fs, dir)) {
            int w;
            int h;
            try (StereoShardReader r = StereoShardReader.open(fs, s.path())) {
                w = r.width();
                h = r.height();
            }
            if (size == null) {
                size = new int[] {w, h};
                first = s.path();
            } else if (size[0] != w || size[1] != h) {
                throw new CalibDataException(s.path(), "holds " + w + "x" + h + " images but "
                        + (first == null ? "the training data has " : first + " has ") + size[0] + "x" + size[1]);
            }
        }
        return size;
    }

    // ---------------------------------------------------------------- generation

    /**
     * Writes the generated dataset under {@code root} ({@code train/}, {@code test/}, one generation task per
     * shard), unless {@code root} already holds one written with the same settings.
     */
    static void generate(JavaSparkContext sc, CalibJobConfig.Generate g, Path root, PrintStream console) {
        Configuration hadoop = sc.hadoopConfiguration();
        FileSystem fs = fileSystem(root, hadoop);
        String spec = spec(g);
        Path specFile = new Path(root, GENERATOR_SPEC);
        try {
            if (fs.exists(specFile)) {
                if (spec.equals(readString(fs, specFile)) && fs.exists(new Path(train(root), StereoDataset.MANIFEST))
                        && fs.exists(new Path(test(root), StereoDataset.MANIFEST))) {
                    console.println("reusing the generated pairs in " + root + " (same generator settings)");
                    return;
                }
                fs.delete(root, true);
            } else if (fs.exists(root) && (!fs.getFileStatus(root).isDirectory() || fs.listStatus(root).length > 0)) {
                throw new ConfigException("data.generate.path", root.toString(), "a new or empty directory, or one "
                        + "written by the calib generator (" + root + " holds other data)");
            }
            fs.mkdirs(root);
            try (FSDataOutputStream out = fs.create(specFile, true)) {
                out.write(spec.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root + " for the generated pairs", e);
        }
        long t0 = System.nanoTime();
        List<long[]> tasks = new ArrayList<>();
        addTasks(tasks, 0, g.examples(), g.recordsPerShard(), 0);
        addTasks(tasks, 1, g.testExamples(), g.recordsPerShard(), TEST_OFFSET);
        StereoRigConfig rig = g.rig();
        long seed = g.seed();
        String trainDir = train(root).toString();
        String testDir = test(root).toString();
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        sc.parallelize(tasks, tasks.size()).foreach(t -> writeShard(rig, seed, t, t[0] == 0 ? trainDir : testDir,
                conf.value()));
        writeManifest(fs, train(root), tasks, 0);
        writeManifest(fs, test(root), tasks, 1);
        console.printf("generated %d + %d pairs (%dx%d) into %s in %.1f s%n", g.examples(), g.testExamples(),
                g.width(), g.height(), root, (System.nanoTime() - t0) / 1e9);
    }

    /** Task rows {@code [split, part, firstIndex, count]}. */
    private static void addTasks(List<long[]> tasks, int split, int total, int perShard, long offset) {
        for (int start = 0, part = 0; start < total; start += perShard, part++) {
            tasks.add(new long[] {split, part, offset + start, Math.min(perShard, total - start)});
        }
    }

    private static void writeShard(StereoRigConfig rig, long seed, long[] task, String dir, Configuration conf) {
        Path shard = StereoDataset.shardPath(new Path(dir), (int) task[1]);
        StereoPairGenerator generator = new StereoPairGenerator(rig, seed);
        try (StereoShardWriter w = StereoShardWriter.create(fileSystem(shard, conf), shard, rig.width(),
                rig.height())) {
            for (long i = 0; i < task[3]; i++) {
                w.write(generator.generate(task[2] + i));
            }
        }
    }

    private static void writeManifest(FileSystem fs, Path dir, List<long[]> tasks, int split) {
        List<StereoDataset.Shard> shards = new ArrayList<>();
        for (long[] t : tasks) {
            if (t[0] == split) {
                shards.add(new StereoDataset.Shard(StereoDataset.shardPath(dir, (int) t[1]), t[3]));
            }
        }
        StereoDataset.writeManifest(fs, dir, shards);
    }

    /** The generator settings that determine the data (everything but where it is written). */
    static String spec(CalibJobConfig.Generate g) {
        return "calib-generator v1 seed=" + g.seed() + " examples=" + g.examples() + " testExamples="
                + g.testExamples() + " recordsPerShard=" + g.recordsPerShard() + " testOffset=" + TEST_OFFSET + " "
                + g.rig() + "\n";
    }

    private static String readString(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static FileSystem fileSystem(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf);
        } catch (IOException e) {
            throw new DataException(path.toString(), "cannot open its file system: " + e.getMessage(), e);
        }
    }
}
