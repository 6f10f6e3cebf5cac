package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeListReaderTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path file(String name, String content) throws IOException {
        java.nio.file.Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return new Path(p.toUri());
    }

    @Test
    void csvWithHeaderAndWeights() throws IOException {
        Path p = file("log.csv", "user_id,item_id,rating\r\n0,3,4.5\r\n2, 1 ,1\r\n\r\n0,3,2\r\n");
        EdgeList e = EdgeListReader.auto().read(p, CONF);
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.users()).containsExactly(0, 2, 0);
        assertThat(e.items()).containsExactly(3, 1, 3);
        assertThat(e.weights()).containsExactly(4.5f, 1f, 2f);
        assertThat(e.numUsers()).isEqualTo(3);
        assertThat(e.numItems()).isEqualTo(4);
        Adjacency a = e.toAdjacency(3, 4);
        assertThat(a.nnz()).isEqualTo(2);
        assertThat(a.row(0)).containsExactly(3);
    }

    @Test
    void tsvWithoutHeaderAndWithoutWeights() throws IOException {
        Path p = file("log.tsv", "5\t7\n1\t0\n");
        EdgeList e = EdgeListReader.auto().read(p, CONF);
        assertThat(e.hasWeights()).isFalse();
        assertThat(e.weight(0)).isEqualTo(1f);
        assertThat(e.users()).containsExactly(5, 1);
        assertThat(e.items()).containsExactly(7, 0);
    }

    @Test
    void directoryOfPartFilesInNameOrderSkippingMarkers() throws IOException {
        file("out/part-00001", "u,i\n3,3\n");
        file("out/part-00000", "u,i\n1,1\n2,2\n");
        file("out/_SUCCESS", "");
        file("out/.part-00000.crc", "garbage");
        EdgeList e = EdgeListReader.auto().read(new Path(dir.resolve("out").toUri()), CONF);
        assertThat(e.users()).containsExactly(1, 2, 3);
    }

    @Test
    void forcedFormatDoesNotGuess() throws IOException {
        Path p = file("forced.csv", "9,9\n1,2\n");
        EdgeList e = new EdgeListReader(EdgeListReader.Delimiter.COMMA, EdgeListReader.Header.PRESENT).read(p, CONF);
        assertThat(e.users()).containsExactly(1);
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        Path cols = file("cols.csv", "u,i,w\n1,2,3\n4,5\n");
        assertThatThrownBy(() -> EdgeListReader.auto().read(cols, CONF))
                .isInstanceOf(InteractionFormatException.class)
                .hasMessageEndingWith("cols.csv:3: expected 3 fields like the first data line, found 2");
        Path neg = file("neg.csv", "1,2\n-1,5\n");
        assertThatThrownBy(() -> EdgeListReader.auto().read(neg, CONF))
                .hasMessageEndingWith("neg.csv:2: user id -1 is negative");
        Path item = file("item.tsv", "1\tabc\n");
        assertThatThrownBy(() -> EdgeListReader.auto().read(item, CONF))
                .hasMessageEndingWith("item.tsv:1: item id 'abc' is not a non-negative integer");
        Path weight = file("w.csv", "1,2,NaN\n");
        assertThatThrownBy(() -> EdgeListReader.auto().read(weight, CONF))
                .hasMessageEndingWith("w.csv:1: weight NaN is not finite");
        Path one = file("one.csv", "7\n");
        assertThatThrownBy(() -> EdgeListReader.auto().read(one, CONF))
                .hasMessageEndingWith("one.csv:1: expected 2 or 3 fields (user,item[,weight]), found 1");
    }
}
