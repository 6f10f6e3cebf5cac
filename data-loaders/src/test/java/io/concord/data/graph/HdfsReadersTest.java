package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same readers over an in-process HDFS: hdfs:// paths behave like file:// ones, errors name the hdfs path.
 * MiniDFSCluster needs the log4j 1.x API on the test classpath ({@code org.apache.logging.log4j:log4j-1.2-api}); data
 * loaders' test classpath does not have it yet, so the test skips itself until it does.
 */
class HdfsReadersTest {

    @TempDir
    static java.nio.file.Path base;

    private static MiniDFSCluster cluster;
    private static Configuration conf;
    private static String root;

    @BeforeAll
    static void start() throws IOException {
        boolean log4j1 = true;
        try {
            Class.forName("org.apache.log4j.Appender");
        } catch (ClassNotFoundException e) {
            log4j1 = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(log4j1,
                "MiniDFSCluster needs org.apache.log4j (log4j-1.2-api) on the test classpath");
        conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toAbsolutePath().toString());
        conf.setInt("dfs.replication", 1);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = "hdfs://localhost:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private static Path put(String name, String content) throws IOException {
        Path p = new Path(root + "/data/" + name);
        FileSystem fs = p.getFileSystem(conf);
        try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void splitFilesWriterAndEdgeListsOverHdfs() throws IOException {
        Path train = put("train.txt", "0 1 2\r\n1 0\r\n");
        Path test = put("test.txt", "0 3\r\n1 \r\n");
        InteractionGraph g = AdjacencyListFormat.readSplit(train, test, conf);
        assertThat(g.numItems()).isEqualTo(4);
        assertThat(g.train().row(0)).containsExactly(1, 2);
        assertThat(g.test().row(1)).isEmpty();

        Path copy = new Path(root + "/out/train.txt");
        AdjacencyListFormat.write(g.train(), copy, conf, false);
        assertThat(AdjacencyListFormat.read(copy, conf).resize(2, 4)).isEqualTo(g.train());

        put("log/part-00000", "user,item\n0,5\n");
        put("log/part-00001", "user,item\n3,1\n");
        put("log/_SUCCESS", "");
        Adjacency a = EdgeListReader.auto().read(new Path(root + "/data/log"), conf).toAdjacency(4, 6);
        assertThat(a.nnz()).isEqualTo(2);
        assertThat(a.row(3)).containsExactly(1);
    }

    @Test
    void errorsNameTheHdfsPath() throws IOException {
        Path bad = put("bad.txt", "0 1\n0 2\n");
        assertThatThrownBy(() -> AdjacencyListFormat.read(bad, conf))
                .isInstanceOf(InteractionFormatException.class)
                .hasMessage(root + "/data/bad.txt:2: user 0 already has a line (line 1)");
    }
}
