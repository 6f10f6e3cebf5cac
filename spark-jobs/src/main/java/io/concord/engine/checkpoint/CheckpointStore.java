package io.concord.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints on any Hadoop FileSystem. A checkpoint is a directory {@code round-NNNNNNNN} (the number of completed
 * rounds) holding {@code params.bin}, {@code optimizer.bin} and {@code state.json} (round, seed, statistics,
 * bookkeeping). It is written under {@code _tmp-round-NNNNNNNN} and renamed, so a visible {@code round-*} directory
 * is always complete; the newest is the one to resume from. Only the newest {@code keep} are kept.
 */
public final class CheckpointStore implements Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("round-(\\d{8})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATISTICS_SER = "statistics.ser";
    private static final String SERIALIZED = "java-serialized";

    private final Path directory;
    private final Configuration hadoopConf;
    private final StatisticSet statistics;
    private final long seed;
    private final int every;
    private final int keep;

    public CheckpointStore(Path directory, Configuration hadoopConf, StatisticSet statistics, long seed, int every,
                           int keep) {
        this.directory = directory;
        this.hadoopConf = hadoopConf;
        this.statistics = statistics;
        this.seed = seed;
        this.every = every;
        this.keep = keep;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void roundCompleted(TrainingState state, io.concord.engine.RoundSummary summary, boolean lastRound) {
        int completed = state.nextRound();
        if (lastRound || (every > 0 && completed % every == 0)) {
            save(state);
        }
    }

    public Path save(TrainingState state) {
        try {
            FileSystem fs = directory.getFileSystem(hadoopConf);
            String name = String.format("round-%08d", state.nextRound());
            Path finalPath = new Path(directory, name);
            if (fs.exists(finalPath)) {
                return finalPath;
            }
            Path tmp = new Path(directory, "_tmp-" + name);
            fs.delete(tmp, true);
            fs.mkdirs(tmp);
            try (FSDataOutputStream out = fs.create(new Path(tmp, "params.bin"), true)) {
                FloatArrays.write(out, state.params());
            }
            try (FSDataOutputStream out = fs.create(new Path(tmp, "optimizer.bin"), true)) {
                FloatArrays.write(out, state.optimizerState());
            }
            Map<String, Object> opaque = new LinkedHashMap<>();
            try (FSDataOutputStream out = fs.create(new Path(tmp, "state.json"), true)) {
                JSON.writerWithDefaultPrettyPrinter().writeValue((java.io.OutputStream) out, describe(state, opaque));
            }
            if (!opaque.isEmpty()) {
                try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(
                        fs.create(new Path(tmp, STATISTICS_SER), true))) {
                    out.writeObject(new LinkedHashMap<>(opaque));
                }
            }
            if (!fs.rename(tmp, finalPath)) {
                throw new IOException("could not rename " + tmp + " to " + finalPath);
            }
            LOG.info("checkpoint written: {}", finalPath);
            prune(fs);
            return finalPath;
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint under " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() {
        try {
            FileSystem fs = directory.getFileSystem(hadoopConf);
            if (!fs.exists(directory)) {
                return Optional.empty();
            }
            return complete(fs).stream().max(Comparator.comparingInt(CheckpointStore::roundOf));
        } catch (IOException e) {
            throw new UncheckedIOException("listing checkpoints under " + directory + " failed", e);
        }
    }

    public TrainingState load(Path checkpoint) {
        try {
            FileSystem fs = checkpoint.getFileSystem(hadoopConf);
            float[] params;
            float[] optimizer;
            try (FSDataInputStream in = fs.open(new Path(checkpoint, "params.bin"))) {
                params = FloatArrays.read(in, checkpoint + "/params.bin");
            }
            try (FSDataInputStream in = fs.open(new Path(checkpoint, "optimizer.bin"))) {
                optimizer = FloatArrays.read(in, checkpoint + "/optimizer.bin");
            }
            JsonNode meta;
            try (FSDataInputStream in = fs.open(new Path(checkpoint, "state.json"))) {
                meta = JSON.readTree(in);
            }
            long savedSeed = meta.path("seed").asLong();
            if (savedSeed != seed) {
                throw new IllegalStateException(checkpoint + " was written with seed " + savedSeed
                        + " but this run uses seed " + seed + "; resume with the same seed or a new run id");
            }
            Map<String, Object> byName = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = meta.path("statistics").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!e.getValue().path("type").asText().equals(SERIALIZED)) {
                    byName.put(e.getKey(), decode(e.getValue(), checkpoint));
                }
            }
            Path serialized = new Path(checkpoint, STATISTICS_SER);
            if (fs.exists(serialized)) {
                try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(fs.open(serialized))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> opaque = (Map<String, Object>) in.readObject();
                    byName.putAll(opaque);
                } catch (ClassNotFoundException e) {
                    throw new IOException(serialized + ": " + e.getMessage(), e);
                }
            }
            Map<String, Double> bookkeeping = new LinkedHashMap<>();
            meta.path("bookkeeping").fields().forEachRemaining(e -> bookkeeping.put(e.getKey(), e.getValue().asDouble()));
            int round = meta.path("round").asInt();
            return new TrainingState(params, optimizer, round, byName.isEmpty() ? null : statistics.fromNames(byName),
                    bookkeeping);
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoint " + checkpoint + " failed: " + e.getMessage(), e);
        }
    }

    private ObjectNode describe(TrainingState state, Map<String, Object> opaque) {
        ObjectNode root = JSON.createObjectNode();
        root.put("round", state.nextRound());
        root.put("seed", seed);
        root.put("numParams", state.params().length);
        root.put("optimizerStateSize", state.optimizerState().length);
        root.put("rng", "stateless: streams are functions of (seed, step, partition)");
        ObjectNode stats = root.putObject("statistics");
        statistics.byName(state.statistics()).forEach((name, value) -> {
            if (value instanceof long[] || value instanceof double[] || value instanceof float[]) {
                stats.set(name, encode(value));
            } else if (value instanceof java.io.Serializable) {
                opaque.put(name, value);
                stats.putObject(name).put("type", SERIALIZED).put("file", STATISTICS_SER);
            } else {
                throw new IllegalArgumentException("cannot checkpoint statistic '" + name + "' of type "
                        + value.getClass().getName() + ": use long[], double[], float[] or a Serializable type");
            }
        });
        ObjectNode book = root.putObject("bookkeeping");
        state.bookkeeping().forEach(book::put);
        return root;
    }

    private static JsonNode encode(Object value) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode values = node.putArray("values");
        if (value instanceof long[] a) {
            node.put("type", "long[]");
            Arrays.stream(a).forEach(values::add);
        } else if (value instanceof double[] a) {
            node.put("type", "double[]");
            Arrays.stream(a).forEach(values::add);
        } else if (value instanceof float[] a) {
            node.put("type", "float[]");
            for (float f : a) {
                values.add(f);
            }
        } else {
            throw new IllegalArgumentException("cannot checkpoint a statistic value of type "
                    + value.getClass().getName() + "; use long[], double[] or float[]");
        }
        return node;
    }

    private static Object decode(JsonNode node, Path source) throws IOException {
        JsonNode values = node.path("values");
        switch (node.path("type").asText()) {
            case "long[]": {
                long[] a = new long[values.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values.get(i).asLong();
                }
                return a;
            }
            case "double[]": {
                double[] a = new double[values.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values.get(i).asDouble();
                }
                return a;
            }
            case "float[]": {
                float[] a = new float[values.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) values.get(i).asDouble();
                }
                return a;
            }
            default:
                throw new IOException(source + "/state.json: unknown statistic type '" + node.path("type").asText()
                        + "'");
        }
    }

    private List<Path> complete(FileSystem fs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (FileStatus status : fs.listStatus(directory)) {
            if (status.isDirectory() && NAME.matcher(status.getPath().getName()).matches()) {
                out.add(status.getPath());
            }
        }
        return out;
    }

    private void prune(FileSystem fs) throws IOException {
        List<Path> all = complete(fs);
        all.sort(Comparator.comparingInt(CheckpointStore::roundOf).reversed());
        for (int i = keep; i < all.size(); i++) {
            fs.delete(all.get(i), true);
        }
    }

    private static int roundOf(Path p) {
        Matcher m = NAME.matcher(p.getName());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint directory: " + p);
        }
        return Integer.parseInt(m.group(1));
    }
}
