package io.concord.core.ultragcn.bench;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Minimal local reader of the LightGCN split format for the benchmarks (losses-core cannot use data-loaders; the real,
 * validating reader over Hadoop FS is {@code io.concord.data.graph.AdjacencyListFormat}).
 */
final class SplitFiles {

    private SplitFiles() {
    }

    static File sharedDataset(String name) {
        return new File(System.getProperty("concord.shared", "../shared"), "datasets/" + name);
    }

    static InteractionGraph read(File dir) throws IOException {
        int[][] train = rows(new File(dir, "train.txt"));
        int[][] test = rows(new File(dir, "test.txt"));
        int users = Math.max(train.length, test.length);
        int items = 0;
        for (int[][] rs : new int[][][]{train, test}) {
            for (int[] r : rs) {
                for (int i : r) {
                    items = Math.max(items, i + 1);
                }
            }
        }
        return new InteractionGraph(csr(train, users, items), csr(test, users, items));
    }

    private static int[][] rows(File f) throws IOException {
        List<String> lines = Files.readAllLines(f.toPath());
        int max = -1;
        int[][] parsed = new int[lines.size()][];
        int[] userOf = new int[lines.size()];
        for (int l = 0; l < lines.size(); l++) {
            String s = lines.get(l).trim();
            if (s.isEmpty()) {
                userOf[l] = -1;
                continue;
            }
            String[] tok = s.split("\\s+");
            userOf[l] = Integer.parseInt(tok[0]);
            max = Math.max(max, userOf[l]);
            parsed[l] = new int[tok.length - 1];
            for (int t = 1; t < tok.length; t++) {
                parsed[l][t - 1] = Integer.parseInt(tok[t]);
            }
        }
        int[][] out = new int[max + 1][];
        for (int u = 0; u <= max; u++) {
            out[u] = new int[0];
        }
        for (int l = 0; l < lines.size(); l++) {
            if (userOf[l] >= 0) {
                out[userOf[l]] = parsed[l];
            }
        }
        return out;
    }

    private static Adjacency csr(int[][] rows, int users, int items) {
        int n = 0;
        for (int[] r : rows) {
            n += r.length;
        }
        int[] us = new int[n];
        int[] is = new int[n];
        int p = 0;
        for (int u = 0; u < rows.length; u++) {
            for (int i : rows[u]) {
                us[p] = u;
                is[p++] = i;
            }
        }
        return Adjacency.fromPairs(users, items, us, is, n);
    }
}
