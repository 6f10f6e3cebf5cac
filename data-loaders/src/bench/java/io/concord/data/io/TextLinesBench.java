package io.concord.data.io;

import io.concord.data.graph.AdjacencyListFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Line-reading cost of {@link TextLines} (length limit, strict UTF-8) against the {@code BufferedReader.readLine} the
 * readers used before, on one file, best of 7 passes each, plus a whole {@link AdjacencyListFormat#read} of it.
 *
 * <pre>
 * java -cp data-loaders/target/test-classes:data-loaders/target/classes:losses-core/target/classes:$(cat cp.txt) \
 *     io.concord.data.io.TextLinesBench ../shared/datasets/gowalla/train.txt
 * </pre>
 */
public final class TextLinesBench {

    private TextLinesBench() {
    }

    public static void main(String[] args) throws IOException {
        Configuration conf = new Configuration();
        Path file = new Path(new java.io.File(args[0]).toURI());
        long bytes = file.getFileSystem(conf).getFileStatus(file).getLen();
        double reader = Double.MAX_VALUE;
        double lines = Double.MAX_VALUE;
        double adjacency = Double.MAX_VALUE;
        long count = 0;
        for (int pass = 0; pass < 7; pass++) {
            long t0 = System.nanoTime();
            long n = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(InputFiles.open(file, conf),
                    StandardCharsets.UTF_8), 1 << 16)) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    n += l.length();
                }
            }
            reader = Math.min(reader, (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            long m = 0;
            try (TextLines in = InputFiles.lines(file, conf, ReadOptions.defaults(),
                    new BadRecords(OnBadRecord.FAIL))) {
                for (String l = in.next(); l != null; l = in.next()) {
                    m += l.length();
                }
            }
            lines = Math.min(lines, (System.nanoTime() - t0) / 1e6);
            if (n != m) {
                throw new AssertionError("different text: " + n + " vs " + m + " chars");
            }
            count = n;
            t0 = System.nanoTime();
            AdjacencyListFormat.read(file, conf);
            adjacency = Math.min(adjacency, (System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("%s: %.1f MB, %d chars%n", file, bytes / 1e6, count);
        System.out.printf("| BufferedReader.readLine | %.1f ms |%n| TextLines.next | %.1f ms |%n"
                + "| AdjacencyListFormat.read (parse + CSR) | %.1f ms |%n", reader, lines, adjacency);
    }
}
