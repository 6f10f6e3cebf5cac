package io.concord.run;

import io.concord.engine.RoundSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The history grows in append-only segments that a resume reads back, cuts at the checkpoint and rewrites. */
class MetricsLogTest {

    @TempDir
    java.nio.file.Path tmp;

    private static RoundSummary round(int round) {
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("counts", new long[] {round, 2L * round});
        RoundSummary r = new RoundSummary(round, 1.0 / (round + 3), 7, statistics, Map.of("round", 2.5));
        if (round % 2 == 1) {
            r.metrics().put("accuracy", 0.1 * round);
        }
        return r;
    }

    @Test
    void segmentsHoldEachRowOnceAndAResumeKeepsOnlyTheRowsBeforeItsCheckpoint() throws IOException {
        RunDirectory dir = new RunDirectory(new Path(tmp.toUri()), "r", new Configuration());
        MetricsLog log = new MetricsLog();
        for (int i = 0; i < 3; i++) {
            log.add(round(i));
        }
        log.appendSegment(dir);
        log.appendSegment(dir);
        for (int i = 3; i < 5; i++) {
            log.add(round(i));
        }
        log.appendSegment(dir);
        java.nio.file.Path history = tmp.resolve("_staging/r/history");
        assertThat(Files.readAllLines(history.resolve("metrics-00000000.jsonl"))).hasSize(3);
        assertThat(Files.readAllLines(history.resolve("metrics-00000003.jsonl"))).hasSize(2);
        assertThat(Files.readString(tmp.resolve("_staging/r/metrics.jsonl"))).isEqualTo(log.jsonl());

        MetricsLog read = MetricsLogReader.read(dir);
        assertThat(read.jsonl()).isEqualTo(log.jsonl());
        assertThat(read.csv()).isEqualTo(log.csv());

        MetricsLog kept = read.before(4);
        kept.replaceSegments(dir);
        assertThat(Files.list(history).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")))
                .containsExactly("metrics-00000000.jsonl");
        MetricsLog again = MetricsLogReader.read(dir);
        assertThat(again.rounds()).extracting(RoundSummary::round).containsExactly(0, 1, 2, 3);
        List<String> lines = log.jsonl().lines().toList();
        assertThat(again.jsonl()).isEqualTo(String.join("\n", lines.subList(0, 4)) + "\n");

        MetricsLog.deleteSegments(dir);
        assertThat(history).doesNotExist();
        // without segments the full file is read: the resume rewrote it with the kept rows too
        assertThat(MetricsLogReader.read(dir).jsonl()).isEqualTo(again.jsonl());
    }
}
