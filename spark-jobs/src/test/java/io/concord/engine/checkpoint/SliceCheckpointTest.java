package io.concord.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.core.stat.LongVectorSum;
import io.concord.data.DataException;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingState;
import io.concord.engine.allreduce.Slices;
import io.concord.engine.allreduce.StateLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Owner-written checkpoints: every owner writes its slice, the store commits only when all are there, and loading
 * puts the slices back into the whole vectors, bit for bit.
 */
class SliceCheckpointTest {

    private static final long SEED = 5;
    private static final int PARTS = 3;

    @TempDir
    java.nio.file.Path tmp;

    private final StatisticSet statistics = new StatisticSet(List.of(
            new LongVectorSum("counts", 2, Freshness.STALE_BY_ONE_ROUND)));

    private CheckpointStore store() {
        return new CheckpointStore(new Path(tmp.toUri().toString()), new Configuration(), statistics, SEED, 2, 3,
                "c".repeat(64));
    }

    /** 7 parameters and an Adam-like state of two blocks of 7, with distinct values. */
    private static TrainingState state(int round) {
        float[] params = new float[7];
        float[] optimizer = new float[14];
        for (int i = 0; i < params.length; i++) {
            params[i] = 1.5f * i - 2.25f;
        }
        for (int i = 0; i < optimizer.length; i++) {
            optimizer[i] = (float) Math.scalb(1.0 + i, -i);
        }
        return new TrainingState(params, optimizer, round, new Object[] {new long[] {4, 9}}, Map.of("eval.best", 0.5));
    }

    private static StateLayout layout(TrainingState state) {
        return StateLayout.of(state.optimizerState().length, state.params().length, true, PARTS);
    }

    /** Writes the slices of the given owners as the tasks do; returns their hashes (null for the others). */
    private List<String> writeSlices(String directory, TrainingState state, int... owners) {
        Slices cut = new Slices(state.params().length, PARTS);
        StateLayout layout = layout(state);
        List<String> sha = new ArrayList<>(Arrays.asList(new String[PARTS]));
        for (int p : owners) {
            sha.set(p, SliceFiles.write(directory, new Configuration(), p,
                    Arrays.copyOfRange(state.params(), cut.lo(p), cut.hi(p)), layout.extract(state.optimizerState(), p)));
        }
        return sha;
    }

    @Test
    void committedSlicesLoadAsTheWholeStateBitForBit() throws IOException {
        CheckpointStore store = store();
        TrainingState saved = state(4);
        List<String> sha = writeSlices(store.prepareSlices(4), saved, 0, 1, 2);
        Path committed = store.commitSlices(saved, layout(saved), sha);

        assertThat(committed.getName()).isEqualTo("round-00000004");
        JsonNode manifest = new ObjectMapper().readTree(tmp.resolve("round-00000004/manifest.json").toFile());
        assertThat(manifest.path("slices").path("parts").asInt()).isEqualTo(PARTS);
        assertThat(manifest.path("files").has("params.bin")).isFalse();
        assertThat(manifest.path("files").has("slice-00002.bin")).isTrue();
        TrainingState loaded = store.load(store.latest().orElseThrow());
        assertThat(loaded.nextRound()).isEqualTo(4);
        assertThat(loaded.params()).containsExactly(saved.params());
        assertThat(loaded.optimizerState()).containsExactly(saved.optimizerState());
        assertThat((long[]) loaded.statistics()[0]).containsExactly(4, 9);
        assertThat(loaded.bookkeeping()).containsEntry("eval.best", 0.5);
    }

    @Test
    void aMissingSliceIsNotCommitted() {
        CheckpointStore store = store();
        TrainingState saved = state(6);
        String directory = store.prepareSlices(6);
        List<String> sha = writeSlices(directory, saved, 0, 2);

        assertThatThrownBy(() -> store.commitSlices(saved, layout(saved), sha))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("slice 1 of 3")
                .hasMessageContaining("not committed");
        assertThat(store.latest()).isEmpty();
        assertThat(Files.exists(tmp.resolve("round-00000006"))).isFalse();
    }

    @Test
    void aSliceReportedButDeletedBeforeTheCommitIsNotCommitted() throws IOException {
        CheckpointStore store = store();
        TrainingState saved = state(6);
        String directory = store.prepareSlices(6);
        List<String> sha = writeSlices(directory, saved, 0, 1, 2);
        Files.delete(tmp.resolve("_tmp-round-00000006/slice-00001.bin"));

        assertThatThrownBy(() -> store.commitSlices(saved, layout(saved), sha))
                .hasMessageContaining("slice 1 of 3");
        assertThat(store.latest()).isEmpty();
    }

    @Test
    void aModifiedSliceIsRefusedByItsChecksum() throws IOException {
        CheckpointStore store = store();
        TrainingState saved = state(2);
        List<String> sha = writeSlices(store.prepareSlices(2), saved, 0, 1, 2);
        store.commitSlices(saved, layout(saved), sha);
        java.nio.file.Path slice = tmp.resolve("round-00000002/slice-00001.bin");
        byte[] bytes = Files.readAllBytes(slice);
        bytes[bytes.length - 1] ^= 1;
        Files.write(slice, bytes);
        Files.deleteIfExists(tmp.resolve("round-00000002/.slice-00001.bin.crc"));

        assertThatThrownBy(() -> store.load(store.latest().orElseThrow()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("slice-00001.bin")
                .hasMessageContaining("checksum mismatch");
    }
}
