package io.concord.data.graph;

import io.concord.core.ultragcn.InteractionGraph;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared split files read to the counts of the reference (§4.2); skipped when the data folder is absent. */
class RealSplitFilesTest {

    private static InteractionGraph load(String dataset) throws IOException {
        File dir = new File(System.getProperty("concord.shared", "../shared"), "datasets/" + dataset);
        Assumptions.assumeTrue(new File(dir, "train.txt").isFile() && new File(dir, "test.txt").isFile(),
                "dataset folder " + dir + " not present");
        return AdjacencyListFormat.readSplit(new Path(new File(dir, "train.txt").toURI()),
                new Path(new File(dir, "test.txt").toURI()), new Configuration());
    }

    @Test
    void gowalla() throws IOException {
        InteractionGraph g = load("gowalla");
        assertThat(g.numUsers()).isEqualTo(29_858);
        assertThat(g.numItems()).isEqualTo(40_981);
        assertThat(g.trainSize()).isEqualTo(810_128);
        assertThat(g.testSize()).isEqualTo(217_242);
        assertThat(g.usersWithTestItems()).isEqualTo(29_858);
    }

    @Test
    void amazonElectronicsWithCrlf() throws IOException {
        InteractionGraph g = load("amazon-electronics");
        assertThat(g.numUsers()).isEqualTo(1_435);
        assertThat(g.numItems()).isEqualTo(1_522);
        assertThat(g.trainSize()).isEqualTo(31_887);
        assertThat(g.testSize()).isEqualTo(4_044);
    }
}
