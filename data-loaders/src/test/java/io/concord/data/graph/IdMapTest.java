package io.concord.data.graph;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdMapTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void longIdsAreDenseInSortedOrderWhateverTheInputOrder() {
        IdMap a = IdMap.ofLongs(new long[]{900, -3, 42, 900, 7});
        IdMap b = IdMap.ofLongs(new long[]{7, 42, -3, 900});
        assertThat(a.size()).isEqualTo(4);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.original(i)).isEqualTo(b.original(i));
        }
        assertThat(a.indexOf(-3)).isEqualTo(0);
        assertThat(a.indexOf(900)).isEqualTo(3);
        assertThat(a.indexOf(5)).isEqualTo(-1);
        assertThat(a.originalLong(2)).isEqualTo(42L);
    }

    @Test
    void stringIdsRoundTripThroughTheFileIncludingTabsNewlinesAndUnicode() throws IOException {
        IdMap m = IdMap.ofStrings(List.of("user\t1", "ünïcødé", "line\nbreak", "\"quoted\"", "plain", "plain"));
        Path p = new Path(dir.resolve("users.idmap").toUri());
        m.write(p, new Configuration());
        IdMap back = IdMap.read(p, new Configuration());
        assertThat(back.type()).isEqualTo(IdMap.KeyType.STRING);
        assertThat(back.size()).isEqualTo(5);
        for (int i = 0; i < m.size(); i++) {
            assertThat(back.originalString(i)).isEqualTo(m.originalString(i));
            assertThat(back.indexOf(m.originalString(i))).isEqualTo(i);
        }
        assertThat(back.indexOf("missing")).isEqualTo(-1);
    }

    @Test
    void identityMapsIndexToItself() throws IOException {
        IdMap m = IdMap.identity(3);
        Path p = new Path(dir.resolve("items.idmap").toUri());
        m.write(p, new Configuration());
        IdMap back = IdMap.read(p, new Configuration());
        assertThat(back.indexOf(2)).isEqualTo(2);
        assertThat(back.original(0)).isEqualTo(0L);
        assertThatThrownBy(() -> back.indexOf("0")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTruncatedOrForeignFileIsAnErrorNamingTheFileAndLine() throws IOException {
        java.nio.file.Path f = dir.resolve("bad.idmap");
        Files.writeString(f, "concord-idmap\t1\tlong\t3\n10\n11\n");
        assertThatThrownBy(() -> IdMap.read(new Path(f.toUri()), new Configuration()))
                .hasMessageContaining("bad.idmap:4: id map ends after 2 of 3 ids");
        Files.writeString(f, "concord-idmap\t1\tlong\t2\n10\nx1\n");
        assertThatThrownBy(() -> IdMap.read(new Path(f.toUri()), new Configuration()))
                .hasMessageContaining("bad.idmap:3: bad id 'x1'");
        Files.writeString(f, "user,item\n");
        assertThatThrownBy(() -> IdMap.read(new Path(f.toUri()), new Configuration()))
                .hasMessageContaining("bad.idmap:1: not a concord id map");
    }
}
