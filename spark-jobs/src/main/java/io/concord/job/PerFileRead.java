package io.concord.job;

import io.concord.data.io.BadRecords;
import io.concord.data.io.ReadOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads text files on the executors, one task per file, so every error names its file and line and the records of
 * a file keep their order. Records skipped under {@code data.onBadRecord: skip} go to the run's
 * {@link SkippedRecords}.
 */
public final class PerFileRead {

    private PerFileRead() {
    }

    /** Reads one file: {@code ordinal} is its index in the list given to {@link #read}. */
    @FunctionalInterface
    public interface Reader<T> extends Serializable {
        List<T> read(int ordinal, Path file, Configuration conf, ReadOptions options, BadRecords bad);
    }

    public static <T> JavaRDD<T> read(JavaSparkContext sc, List<String> files, ReadOptions options,
                                      Reader<T> reader) {
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        SkippedRecords skipped = SkippedRecords.of(sc);
        List<Integer> ordinals = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ordinals.add(i);
        }
        List<String> names = List.copyOf(files);
        return sc.parallelize(ordinals, Math.max(1, ordinals.size())).flatMap(i -> {
            BadRecords bad = new BadRecords(options.onBadRecord());
            List<T> records = reader.read(i, new Path(names.get(i)), conf.value(), options, bad);
            if (!bad.isEmpty()) {
                skipped.add(bad);
            }
            return records.iterator();
        });
    }
}
