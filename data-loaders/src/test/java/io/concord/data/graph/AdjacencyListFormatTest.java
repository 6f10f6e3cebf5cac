package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdjacencyListFormatTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path file(String name, String content) throws IOException {
        java.nio.file.Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return new Path(p.toUri());
    }

    @Test
    void readsCrlfEmptyItemLinesBlankLinesAndUnorderedUsers() throws IOException {
        Path p = file("train.txt", "0 5 1 3\r\n2 \r\n\r\n1\t4  0\r\n4 2 2 6\r\n");
        Adjacency a = AdjacencyListFormat.read(p, CONF);
        assertThat(a.numRows()).isEqualTo(5);
        assertThat(a.numColumns()).isEqualTo(7);
        assertThat(a.row(0)).containsExactly(1, 3, 5);
        assertThat(a.row(1)).containsExactly(0, 4);
        assertThat(a.row(2)).isEmpty();
        assertThat(a.row(3)).isEmpty();
        assertThat(a.row(4)).containsExactly(2, 6);

        Path shuffled = file("shuffled.txt", "3 1\n0 2 0\n2\n");
        Adjacency b = AdjacencyListFormat.read(shuffled, CONF);
        assertThat(b.row(0)).containsExactly(0, 2);
        assertThat(b.row(3)).containsExactly(1);
        assertThat(b.nnz()).isEqualTo(3);
    }

    @Test
    void splitSizesAreTheMaxOverTrainAndTest() throws IOException {
        Path train = file("train.txt", "0 1 2\n1 0\n");
        Path test = file("test.txt", "0 4\n1 \n2 3\n");
        InteractionGraph g = AdjacencyListFormat.readSplit(train, test, CONF);
        assertThat(g.numUsers()).isEqualTo(3);
        assertThat(g.numItems()).isEqualTo(5);
        assertThat(g.train().row(2)).isEmpty();
        assertThat(g.test().row(1)).isEmpty();
        assertThat(g.usersWithTestItems()).isEqualTo(2);
    }

    @Test
    void writeThenReadIsIdentity() throws IOException {
        Adjacency a = Adjacency.fromPairs(4, 9, new int[]{0, 0, 2, 3}, new int[]{8, 1, 5, 0}, 4);
        Path p = new Path(dir.resolve("out.txt").toUri());
        AdjacencyListFormat.write(a, p, CONF, false);
        assertThat(Files.readString(dir.resolve("out.txt"))).isEqualTo("0 1 8\n1\n2 5\n3 0\n");
        assertThat(AdjacencyListFormat.read(p, CONF)).isEqualTo(a);
    }

    @Test
    void nonIntegerIdNamesFileAndLine() throws IOException {
        Path p = file("bad.txt", "0 1 2\r\n1 3 x7 4\r\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(p, CONF))
                .isInstanceOfSatisfying(InteractionFormatException.class, e -> {
                    assertThat(e.file()).endsWith("bad.txt");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).isEqualTo("item id 'x7' is not a non-negative integer");
                })
                .hasMessageEndingWith("bad.txt:2: item id 'x7' is not a non-negative integer");
        Path user = file("baduser.txt", "\n\n1.5 2\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(user, CONF))
                .hasMessageEndingWith("baduser.txt:3: user id '1.5' is not a non-negative integer");
    }

    @Test
    void negativeAndOversizedIdsAreRejected() throws IOException {
        Path neg = file("neg.txt", "0 1\n1 -4\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(neg, CONF))
                .hasMessageEndingWith("neg.txt:2: item id -4 is negative");
        Path negUser = file("neguser.txt", "-1 4\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(negUser, CONF))
                .hasMessageEndingWith("neguser.txt:1: user id -1 is negative");
        Path big = file("big.txt", "0 2147483648\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(big, CONF))
                .hasMessageEndingWith("big.txt:1: item id 2147483648 is larger than 2147483647");
    }

    @Test
    void duplicateUserLineNamesBothLines() throws IOException {
        Path p = file("dup.txt", "0 1\n1 2\n\n0 3\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(p, CONF))
                .isInstanceOf(InteractionFormatException.class)
                .hasMessageEndingWith("dup.txt:4: user 0 already has a line (line 1)");
    }

    @Test
    void missingFileIsAnInputErrorNamingTheFile() {
        Path p = new Path(dir.resolve("absent.txt").toUri());
        assertThatThrownBy(() -> AdjacencyListFormat.read(p, CONF)).isInstanceOf(DataException.class)
                .hasMessageEndingWith("absent.txt: not found");
    }
}
