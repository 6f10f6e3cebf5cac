package io.concord.workload.recsys;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.util.Seeds;
import io.concord.data.DataException;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.data.graph.EdgeList;
import io.concord.data.graph.EdgeListReader;
import io.concord.data.graph.InteractionFormatException;
import io.concord.data.graph.PerUserSplit;
import io.concord.data.graph.SyntheticInteractionGraphs;
import io.concord.data.io.BadRecords;
import io.concord.data.io.ReadOptions;
import io.concord.job.SkippedRecords;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Reads (or generates) the interaction graph of a {@link GraphDataSection} on the driver, through Hadoop's
 * FileSystem (any URI). Parsing is sequential and validating, so a bad line is reported as a {@link DataException}
 * naming file and line (exit code 3). The parsed CSR adjacency is what the jobs broadcast (the neighbour-table build,
 * positive-excluding sampling and the evaluation mask all need the whole train matrix on every executor), so reading
 * it on the driver costs no extra scaling limit.
 */
public final class GraphLoader {

    private GraphLoader() {
    }

    /** Cheap checks before Spark starts: the named files exist. */
    public static void checkExists(GraphDataSection data, Configuration conf) {
        if (!data.tableSources().isEmpty()) {
            return; // Spark SQL sources are resolved (and reported missing) by Spark
        }
        for (String file : new String[] {data.train(), data.test(), data.edges()}) {
            if (file == null) {
                continue;
            }
            Path path = new Path(file);
            try {
                if (!path.getFileSystem(conf).exists(path)) {
                    throw new DataException(file, "not found");
                }
            } catch (IOException e) {
                throw new DataException(file, "cannot be read: " + e.getMessage(), e);
            }
        }
    }

    public static InteractionGraph load(GraphDataSection data, long seed, Configuration conf) {
        return load(data, seed, conf, null);
    }

    /** {@link #load(GraphDataSection, long, Configuration)}; lines skipped under {@code skip} go to {@code skipped}. */
    public static InteractionGraph load(GraphDataSection data, long seed, Configuration conf,
                                        SkippedRecords skipped) {
        ReadOptions reading = data.reading();
        BadRecords bad = new BadRecords(reading.onBadRecord());
        InteractionGraph graph;
        String source;
        if (data.train() != null) {
            source = data.train();
            graph = read(() -> AdjacencyListFormat.readSplit(new Path(data.train()), new Path(data.test()), conf,
                    reading, bad),
                    data.train());
        } else if (data.edges() != null) {
            source = data.edges();
            EdgeList edges = read(() -> EdgeListReader.auto().read(new Path(data.edges()), conf, reading, bad), data.edges());
            Adjacency all = edges.toAdjacency(edges.numUsers(), edges.numItems());
            graph = PerUserSplit.split(all, data.testFraction(), Seeds.mix(seed, 0xED6E5L));
        } else {
            source = "generated data";
            graph = SyntheticInteractionGraphs.generate(data.generate().spec(), seed);
        }
        if (skipped != null && !bad.isEmpty()) {
            skipped.add(bad);
        }
        if (graph.trainSize() == 0) {
            throw new DataException(source, "no train interactions (the dataset is empty)");
        }
        return graph;
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reader<T> reader, String source) {
        try {
            return reader.read();
        } catch (InteractionFormatException e) {
            throw new DataException(e.file(), e.line(), e.problem());
        } catch (FileNotFoundException e) {
            throw new DataException(source, "not found (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataException(source, "cannot be read: " + e.getMessage(), e);
        }
    }
}
