package io.concord.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.core.loss.ExampleStateDelta;
import io.concord.core.loss.ExampleStateDeltas;
import io.concord.core.stat.DoubleVectorSum;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.core.stat.LongVectorSum;
import io.concord.data.DataException;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.BadAttributeValueExpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint codec and what {@code --resume} refuses: round trip of parameters, optimizer state, statistics and
 * bookkeeping; truncated and modified files; another config's checkpoint; planted serialized objects.
 */
class CheckpointStoreTest {

    private static final long SEED = 11;
    private static final String CONFIG = "a".repeat(64);

    @TempDir
    java.nio.file.Path tmp;

    private StatisticSet statistics;

    @BeforeEach
    void statistics() {
        statistics = new StatisticSet(List.of(new LongVectorSum("counts", 3, Freshness.STALE_BY_ONE_ROUND),
                new DoubleVectorSum("sums", 2, Freshness.TWO_PASS),
                new ExampleStateDeltas("loss.state", 2, Freshness.CUMULATIVE)));
    }

    private CheckpointStore store(String configHash) {
        return new CheckpointStore(new Path(tmp.toUri().toString()), new Configuration(), statistics, SEED, 1, 3,
                configHash);
    }

    private TrainingState state(int round) {
        ExampleStateDelta delta = new ExampleStateDelta(2);
        delta.add(new long[] {7, 3}, 5, new double[] {0.25, -1.5, 3.0, Math.PI});
        Map<String, Double> bookkeeping = new LinkedHashMap<>();
        bookkeeping.put("eval.best", 0.875);
        bookkeeping.put("eval.bestRound", 3.0);
        return new TrainingState(new float[] {1.5f, -2.25f, Float.MIN_VALUE, 1e30f},
                new float[] {0.125f, 9f}, round,
                new Object[] {new long[] {1, Long.MAX_VALUE, -4}, new double[] {0.1, Double.MAX_VALUE}, delta.compact()},
                bookkeeping);
    }

    @Test
    void roundTripKeepsEveryValueExactly() {
        Path saved = store(CONFIG).save(state(4));
        assertThat(saved.getName()).isEqualTo("round-00000004");
        TrainingState loaded = store(CONFIG).load(store(CONFIG).latest().orElseThrow());
        assertThat(loaded.nextRound()).isEqualTo(4);
        assertThat(loaded.params()).containsExactly(1.5f, -2.25f, Float.MIN_VALUE, 1e30f);
        assertThat(loaded.optimizerState()).containsExactly(0.125f, 9f);
        assertThat((long[]) loaded.statistics()[0]).containsExactly(1, Long.MAX_VALUE, -4);
        assertThat((double[]) loaded.statistics()[1]).containsExactly(0.1, Double.MAX_VALUE);
        ExampleStateDelta delta = (ExampleStateDelta) loaded.statistics()[2];
        double[] row = new double[2];
        assertThat(delta.lookup(7, row, 0)).isTrue();
        assertThat(row).containsExactly(0.25, -1.5);
        assertThat(delta.lookup(3, row, 0)).isTrue();
        assertThat(row).containsExactly(3.0, Math.PI);
        assertThat(loaded.bookkeeping()).containsExactly(Map.entry("eval.best", 0.875),
                Map.entry("eval.bestRound", 3.0));
        assertThat(tmp.resolve("round-00000004/manifest.json")).content().contains(CONFIG)
                .contains("params.bin").contains("statistics.ser");
    }

    @Test
    void aTruncatedFileIsRefusedByItsChecksum() throws IOException {
        store(CONFIG).save(state(2));
        java.nio.file.Path params = tmp.resolve("round-00000002/params.bin");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class).hasMessageContaining("params.bin")
                .hasMessageContaining("checksum mismatch");
        // without the local file system's own checksum files, the manifest's SHA-256 catches it
        Files.delete(tmp.resolve("round-00000002/.params.bin.crc"));
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class).hasMessageContaining("params.bin: checksum mismatch (SHA-256");
    }

    @Test
    void aTruncatedVectorIsNamedByTheCodec() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FloatArrays.write(out, new float[] {1, 2, 3});
        byte[] bytes = out.toByteArray();
        ByteArrayInputStream truncated = new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> FloatArrays.read(truncated, "x/params.bin")).isInstanceOf(IOException.class)
                .hasMessage("x/params.bin: truncated float vector");
        assertThat(FloatArrays.read(new ByteArrayInputStream(bytes), "x")).containsExactly(1, 2, 3);
    }

    @Test
    void aCheckpointOfAnotherConfigIsAConfigError() {
        store(CONFIG).save(state(2));
        assertThatThrownBy(() -> store("b".repeat(64)).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("belongs to another config")
                .hasMessageContaining(CONFIG);
    }

    @Test
    void aCheckpointWithoutManifestOrWithAnUnlistedFileIsRefused() throws IOException {
        store(CONFIG).save(state(2));
        Files.writeString(tmp.resolve("round-00000002/extra.ser"), "planted");
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class).hasMessageContaining("extra.ser")
                .hasMessageContaining("is not listed in manifest.json");
        Files.delete(tmp.resolve("round-00000002/manifest.json"));
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class).hasMessageContaining("manifest.json: missing");
    }

    @Test
    void aPlantedHashMapSubclassIsRejectedBeforeItIsInstantiated() throws Exception {
        PlantedGadget.instantiated = false;
        store(CONFIG).save(state(2));
        plant(new PlantedGadget());
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class).hasMessageContaining("statistics.ser")
                .hasMessageContaining("refused to deserialize").hasMessageContaining("REJECTED");
        assertThat(PlantedGadget.instantiated).as("readObject of the planted class ran").isFalse();

        // the same bytes without the filter do run it: the test plants a real gadget
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(tmp.resolve(
                "round-00000002/statistics.ser")))) {
            in.readInt();
            in.readUTF();
            in.readObject();
        }
        assertThat(PlantedGadget.instantiated).isTrue();
    }

    @Test
    void aPlantedJdkGadgetIsRejected() throws Exception {
        store(CONFIG).save(state(2));
        plant(new BadAttributeValueExpException("payload"));
        assertThatThrownBy(() -> store(CONFIG).load(store(CONFIG).latest().orElseThrow()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("javax.management.BadAttributeValueExpException");
    }

    /** Replaces statistics.ser with {@code payload} and rewrites the manifest to match, as an attacker could. */
    private void plant(Object payload) throws Exception {
        java.nio.file.Path dir = tmp.resolve("round-00000002");
        try (OutputStream raw = Files.newOutputStream(dir.resolve("statistics.ser"));
             ObjectOutputStream out = new ObjectOutputStream(raw)) {
            out.writeInt(1);
            out.writeUTF("loss.state");
            out.writeObject(payload);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(dir.resolve("manifest.json").toFile());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("statistics.ser"))));
        ((ObjectNode) manifest.get("files")).put("statistics.ser", sha);
        json.writeValue(dir.resolve("manifest.json").toFile(), manifest);
        // and removes the local file system's checksum files of what it replaced
        Files.deleteIfExists(dir.resolve(".statistics.ser.crc"));
        Files.deleteIfExists(dir.resolve(".manifest.json.crc"));
    }

    /** A class outside Concord's statistic packages whose deserialization has a visible side effect. */
    static final class PlantedGadget extends HashMap<String, String> {
        private static final long serialVersionUID = 1L;
        static volatile boolean instantiated;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            instantiated = true;
            in.defaultReadObject();
        }
    }
}
