package io.concord.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.data.DataException;
import io.concord.engine.RoundSummary;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingState;
import io.concord.engine.allreduce.Slices;
import io.concord.engine.allreduce.StateLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * rounds) holding {@code params.bin}, {@code optimizer.bin}, {@code state.json} (round, seed, statistics,
 * bookkeeping), for statistics that are neither {@code long[]}, {@code double[]} nor {@code float[]} a
 * {@code statistics.ser}, and last {@code manifest.json}: the SHA-256 of every other file and the hash of the config
 * the checkpoint belongs to. It is written under {@code _tmp-round-NNNNNNNN} and renamed, so a visible
 * {@code round-*} directory is always complete; the newest is the one to resume from. Only the newest {@code keep}
 * are kept.
 *
 * <p>Loading checks the manifest before parsing anything: another config's checkpoint is a config error, a file
 * whose checksum differs or that the manifest does not list is bad input. {@code statistics.ser} is read through an
 * {@link ObjectInputFilter} that admits only Concord's statistic classes ({@code io.concord.core.**}), strings and
 * primitive arrays, so no other class is ever instantiated from checkpoint bytes.
 */
public final class CheckpointStore implements Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("round-(\\d{8})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATISTICS_SER = "statistics.ser";
    private static final String SERIALIZED = "java-serialized";
    public static final String MANIFEST = "manifest.json";
    /** Classes {@code statistics.ser} may hold; everything else is rejected before it is instantiated. */
    static final String ALLOWED_CLASSES = "maxdepth=16;io.concord.core.**;java.lang.String;!*";
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWED_CLASSES);

    private final Path directory;
    private final Configuration hadoopConf;
    private final StatisticSet statistics;
    private final long seed;
    private final int every;
    private final int keep;
    private final String configHash;
    private Written writtenSlices;

    public CheckpointStore(Path directory, Configuration hadoopConf, StatisticSet statistics, long seed, int every,
                           int keep) {
        this(directory, hadoopConf, statistics, seed, every, keep, null);
    }

    /**
     * @param configHash the hash of the config checkpoints belong to (written to each manifest; a checkpoint of
     *                   another hash is refused on load); null writes none and checks none
     */
    public CheckpointStore(Path directory, Configuration hadoopConf, StatisticSet statistics, long seed, int every,
                           int keep, String configHash) {
        this.configHash = configHash;
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
    public void roundCompleted(TrainingState state, RoundSummary summary, boolean lastRound) {
        if (saves(state.nextRound(), lastRound)) {
            Written slices = writtenSlices;
            writtenSlices = null;
            if (slices != null && slices.round() == state.nextRound()) {
                commitSlices(state, slices.layout(), slices.sha256s());
            } else {
                save(state);
            }
        }
    }

    /**
     * The owners have written their slices of the checkpoint after {@code completedRounds} rounds (into
     * {@link #prepareSlices}); the next {@link #roundCompleted} of that round commits them instead of saving the
     * state's vectors.
     */
    public void slicesWritten(int completedRounds, StateLayout layout, List<String> sha256s) {
        writtenSlices = new Written(completedRounds, layout, new ArrayList<>(sha256s));
    }

    private record Written(int round, StateLayout layout, List<String> sha256s) {
    }

    @Override
    public boolean saves(int completedRounds, boolean lastRound) {
        return lastRound || (every > 0 && completedRounds % every == 0);
    }

    @Override
    public CheckpointStore sliceStore() {
        return this;
    }

    public Path save(TrainingState state) {
        Path finalPath = finalPath(state.nextRound());
        try {
            FileSystem fs = directory.getFileSystem(hadoopConf);
            if (fs.exists(finalPath)) {
                return finalPath;
            }
            Path tmp = freshTemporary(fs, state.nextRound());
            Map<String, String> sums = new LinkedHashMap<>();
            sums.put("params.bin", write(fs, new Path(tmp, "params.bin"), out -> FloatArrays.write(out, state.params())));
            sums.put("optimizer.bin", write(fs, new Path(tmp, "optimizer.bin"),
                    out -> FloatArrays.write(out, state.optimizerState())));
            return commit(fs, tmp, finalPath, state, sums, null);
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + finalPath + ": " + e.getMessage(), e);
        } catch (FSError e) {
            throw new UncheckedIOException("writing checkpoint " + finalPath + ": " + e.getCause().getMessage(),
                    new IOException(e.getCause()));
        }
    }

    /**
     * Prepares an owner-written checkpoint after {@code completedRounds} rounds: an empty temporary directory for
     * the owners' {@link SliceFiles}; returns its URI.
     */
    public String prepareSlices(int completedRounds) {
        try {
            FileSystem fs = directory.getFileSystem(hadoopConf);
            return fs.makeQualified(freshTemporary(fs, completedRounds)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("preparing checkpoint " + finalPath(completedRounds) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Commits an owner-written checkpoint: {@code state} gives the round, statistics and bookkeeping (its vectors are
     * not read), {@code sha256s} the hash each owner reported for its slice file, and the slices are cut as
     * {@code layout} (parameters by {@code Slices(numParams, layout.parts())}). Nothing is committed unless every
     * owner's slice file is in the temporary directory.
     */
    public Path commitSlices(TrainingState state, StateLayout layout, List<String> sha256s) {
        Path finalPath = finalPath(state.nextRound());
        try {
            FileSystem fs = directory.getFileSystem(hadoopConf);
            Path tmp = temporary(state.nextRound());
            Map<String, String> sums = new LinkedHashMap<>();
            for (int p = 0; p < layout.parts(); p++) {
                Path slice = new Path(tmp, SliceFiles.name(p));
                String sha = p < sha256s.size() ? sha256s.get(p) : null;
                if (sha == null || !fs.exists(slice)) {
                    throw new IOException("slice " + p + " of " + layout.parts() + " (" + slice + ") "
                            + (sha == null ? "was not reported by its owner" : "is missing")
                            + "; the checkpoint is not committed");
                }
                sums.put(SliceFiles.name(p), sha);
            }
            ObjectNode slices = JSON.createObjectNode();
            slices.put("parts", layout.parts());
            slices.put("stateBlocks", layout.blocks());
            slices.put("stateBlockLength", layout.blockLength());
            return commit(fs, tmp, finalPath, state, sums, slices);
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + finalPath + ": " + e.getMessage(), e);
        }
    }

    private Path finalPath(int completedRounds) {
        return new Path(directory, String.format("round-%08d", completedRounds));
    }

    private Path temporary(int completedRounds) {
        return new Path(directory, "_tmp-" + finalPath(completedRounds).getName());
    }

    private Path freshTemporary(FileSystem fs, int completedRounds) throws IOException {
        Path tmp = temporary(completedRounds);
        fs.delete(tmp, true);
        fs.mkdirs(tmp);
        return tmp;
    }

    /**
     * Writes state.json (and statistics.ser) and last the manifest into {@code tmp}, which already holds the vector
     * files of {@code sums}, then renames it into place.
     */
    private Path commit(FileSystem fs, Path tmp, Path finalPath, TrainingState state, Map<String, String> sums,
                        ObjectNode slices) throws IOException {
        Map<String, Object> opaque = new LinkedHashMap<>();
        ObjectNode description = describe(state, opaque);
        sums.put("state.json", write(fs, new Path(tmp, "state.json"),
                out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, description)));
        if (!opaque.isEmpty()) {
            sums.put(STATISTICS_SER, write(fs, new Path(tmp, STATISTICS_SER), out -> {
                ObjectOutputStream objects = new ObjectOutputStream(out);
                objects.writeInt(opaque.size());
                for (Map.Entry<String, Object> e : opaque.entrySet()) {
                    objects.writeUTF(e.getKey());
                    objects.writeObject(e.getValue());
                }
                objects.flush();
            }));
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", 1);
        manifest.put("round", state.nextRound());
        manifest.put("configHash", configHash);
        if (slices != null) {
            manifest.set("slices", slices);
        }
        ObjectNode files = manifest.putObject("files");
        sums.forEach(files::put);
        write(fs, new Path(tmp, MANIFEST), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, manifest));
        if (!fs.rename(tmp, finalPath)) {
            throw new IOException("could not rename " + tmp + " to " + finalPath);
        }
        LOG.info("checkpoint written: {}", finalPath);
        prune(fs);
        return finalPath;
    }

    /** Writes one file and returns the SHA-256 (hex) of what was written. */
    static String write(FileSystem fs, Path path, Body body) throws IOException {
        MessageDigest digest = sha256();
        try (FSDataOutputStream raw = fs.create(path, true);
             DigestOutputStream out = new DigestOutputStream(raw, digest)) {
            body.writeTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
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
            throw new UncheckedIOException("listing checkpoints " + directory + ": " + e.getMessage(), e);
        }
    }

    public TrainingState load(Path checkpoint) {
        try {
            FileSystem fs = checkpoint.getFileSystem(hadoopConf);
            JsonNode slices = verifyManifest(fs, checkpoint).path("slices");
            JsonNode meta;
            try (FSDataInputStream in = fs.open(new Path(checkpoint, "state.json"))) {
                meta = JSON.readTree(in);
            }
            float[] params;
            float[] optimizer;
            if (slices.isObject()) {
                params = new float[meta.path("numParams").asInt()];
                optimizer = new float[meta.path("optimizerStateSize").asInt()];
                reassemble(fs, checkpoint, slices, params, optimizer);
            } else {
                try (FSDataInputStream in = fs.open(new Path(checkpoint, "params.bin"))) {
                    params = FloatArrays.read(in, checkpoint + "/params.bin");
                }
                try (FSDataInputStream in = fs.open(new Path(checkpoint, "optimizer.bin"))) {
                    optimizer = FloatArrays.read(in, checkpoint + "/optimizer.bin");
                }
            }
            long savedSeed = meta.path("seed").asLong();
            if (savedSeed != seed) {
                throw new ConfigException("seed", checkpoint + " was written with seed " + savedSeed
                        + " but this run uses seed " + seed + "; resume with the same seed or a new run id");
            }
            if (meta.path("numParams").asInt(params.length) != params.length
                    || meta.path("optimizerStateSize").asInt(optimizer.length) != optimizer.length) {
                throw new DataException(checkpoint + "/state.json", "records " + meta.path("numParams").asInt()
                        + " parameters and " + meta.path("optimizerStateSize").asInt() + " optimizer values but the "
                        + "vectors hold " + params.length + " and " + optimizer.length);
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
                try (FSDataInputStream in = fs.open(serialized)) {
                    byName.putAll(readStatistics(in, serialized.toString()));
                }
            }
            Map<String, Double> bookkeeping = new LinkedHashMap<>();
            meta.path("bookkeeping").fields().forEachRemaining(e -> bookkeeping.put(e.getKey(), e.getValue().asDouble()));
            int round = meta.path("round").asInt();
            return new TrainingState(params, optimizer, round, byName.isEmpty() ? null : statistics.fromNames(byName),
                    bookkeeping);
        } catch (ChecksumException e) {
            throw new DataException(checkpoint.toString(), "checksum mismatch (" + e.getMessage()
                    + "): the checkpoint is corrupt or was modified");
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Puts every owner's slices of an owner-written checkpoint back into whole vectors. */
    private static void reassemble(FileSystem fs, Path checkpoint, JsonNode slices, float[] params,
                                   float[] optimizer) throws IOException {
        int parts = slices.path("parts").asInt();
        StateLayout layout = new StateLayout(slices.path("stateBlocks").asInt(),
                slices.path("stateBlockLength").asInt(), parts);
        Path manifest = new Path(checkpoint, MANIFEST);
        if (parts < 1 || layout.blocks() * layout.blockLength() != optimizer.length) {
            throw new DataException(manifest.toString(), "slices of " + parts + " owners in "
                    + layout.blocks() + " blocks of " + layout.blockLength() + " do not make the "
                    + optimizer.length + " optimizer values of state.json");
        }
        Slices cut = new Slices(params.length, parts);
        for (int p = 0; p < parts; p++) {
            String source = checkpoint + "/" + SliceFiles.name(p);
            try (FSDataInputStream in = fs.open(new Path(checkpoint, SliceFiles.name(p)))) {
                float[] own = FloatArrays.read(in, source);
                float[] state = FloatArrays.read(in, source);
                if (own.length != cut.size(p) || state.length != layout.sliceLength(p)) {
                    throw new DataException(source, "holds " + own.length + " parameters and " + state.length
                            + " optimizer values; owner " + p + " of " + parts + " has " + cut.size(p) + " and "
                            + layout.sliceLength(p));
                }
                System.arraycopy(own, 0, params, cut.lo(p), own.length);
                layout.insert(optimizer, state, p);
            }
        }
    }

    /**
     * Reads {@code statistics.ser} (count, then name and value per statistic) through the class allow-list.
     */
    static Map<String, Object> readStatistics(InputStream in, String source) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        ObjectInputStream objects = new ObjectInputStream(in);
        String[] rejected = new String[1];
        objects.setObjectInputFilter(info -> {
            ObjectInputFilter.Status status = FILTER.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED && info.serialClass() != null) {
                rejected[0] = info.serialClass().getName();
            }
            return status;
        });
        try {
            int count = objects.readInt();
            for (int i = 0; i < count; i++) {
                String name = objects.readUTF();
                out.put(name, objects.readObject());
            }
        } catch (InvalidClassException e) {
            throw new DataException(source, "refused to deserialize " + (rejected[0] == null ? e.getMessage()
                    : "class " + rejected[0] + " (" + e.getMessage() + ")")
                    + "; only Concord statistic classes, strings and primitive arrays are allowed");
        } catch (ClassNotFoundException | ClassCastException | StreamCorruptedException | EOFException e) {
            throw new DataException(source, "not a Concord statistics file: " + e);
        }
        return out;
    }

    /**
     * Checks {@code manifest.json}: the config hash (when both sides have one), every listed file's SHA-256, and that
     * no unlisted file is present.
     */
    private JsonNode verifyManifest(FileSystem fs, Path checkpoint) throws IOException {
        Path manifestPath = new Path(checkpoint, MANIFEST);
        if (!fs.exists(manifestPath)) {
            throw new DataException(manifestPath.toString(), "missing: the checkpoint has no manifest (written by an "
                    + "older Concord, or tampered with); resume is refused, use --overwrite to start over");
        }
        JsonNode manifest;
        try (FSDataInputStream in = fs.open(manifestPath)) {
            manifest = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new DataException(manifestPath.toString(), "not valid JSON: " + e.getOriginalMessage());
        }
        String saved = manifest.path("configHash").isTextual() ? manifest.path("configHash").asText() : null;
        if (configHash != null && saved != null && !configHash.equals(saved)) {
            throw new ConfigException("--resume", checkpoint + " belongs to another config (config hash "
                    + saved + ", this run's is " + configHash + "); resume with the config it was written with, or "
                    + "use --overwrite or a new run id");
        }
        JsonNode files = manifest.path("files");
        if (manifest.path("slices").isObject()) {
            int parts = manifest.path("slices").path("parts").asInt();
            for (int p = 0; p < parts; p++) {
                if (!files.has(SliceFiles.name(p))) {
                    throw new DataException(manifestPath.toString(), "does not list " + SliceFiles.name(p)
                            + " of the " + parts + " slices");
                }
            }
        } else if (!files.isObject() || !files.has("params.bin") || !files.has("optimizer.bin")) {
            throw new DataException(manifestPath.toString(), "does not list params.bin and optimizer.bin");
        }
        if (!files.isObject() || !files.has("state.json")) {
            throw new DataException(manifestPath.toString(), "does not list state.json");
        }
        for (FileStatus status : fs.listStatus(checkpoint)) {
            String name = status.getPath().getName();
            if (!name.equals(MANIFEST) && !files.has(name) && !name.startsWith(".")) {
                throw new DataException(status.getPath().toString(), "is not listed in " + MANIFEST
                        + " (a file added to the checkpoint after it was written)");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> entries = files.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> e = entries.next();
            Path file = new Path(checkpoint, e.getKey());
            if (e.getKey().contains("/") || !fs.exists(file)) {
                throw new DataException(file.toString(), "listed in " + MANIFEST + " but missing");
            }
            String actual = sha256(fs, file);
            if (!actual.equals(e.getValue().asText())) {
                throw new DataException(file.toString(), "checksum mismatch (SHA-256 " + actual + ", manifest says "
                        + e.getValue().asText() + "): the checkpoint is corrupt or was modified");
            }
        }
        return manifest;
    }

    private static String sha256(FileSystem fs, Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(fs.open(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
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
            } else if (value instanceof Serializable) {
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
