package io.concord.data.calib;

import io.concord.core.param.ParamException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of shards plus a {@value #MANIFEST} text file listing them, one {@code name<TAB>recordCount} per line.
 * The manifest is written last, so a directory without one is an unfinished write. Readers get the shard list from
 * the manifest: a listed shard that is missing, or whose record count differs, is an error naming the manifest line.
 */
public final class StereoDataset {

    public static final String MANIFEST = "_MANIFEST";

    private StereoDataset() {
    }

    /** Writes {@code pairs} into {@code dir} as shards of at most {@code perShard} records, then the manifest. */
    public static List<Path> write(FileSystem fs, Path dir, List<StereoPair> pairs, int perShard) {
        if (perShard <= 0) {
            throw new ParamException("data.generate.recordsPerShard", "" + perShard
                    + " is not allowed; must be > 0");
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no records to write to " + dir);
        }
        int width = pairs.get(0).width();
        int height = pairs.get(0).height();
        List<Path> paths = new ArrayList<>();
        List<Shard> shards = new ArrayList<>();
        for (int start = 0, part = 0; start < pairs.size(); start += perShard, part++) {
            Path shard = shardPath(dir, part);
            int end = Math.min(pairs.size(), start + perShard);
            try (StereoShardWriter w = StereoShardWriter.create(fs, shard, width, height)) {
                for (StereoPair p : pairs.subList(start, end)) {
                    w.write(p);
                }
            }
            paths.add(shard);
            shards.add(new Shard(shard, end - start));
        }
        writeManifest(fs, dir, shards);
        return paths;
    }

    /** The path of shard number {@code part} in {@code dir} ({@code part-00007.stereo}). */
    public static Path shardPath(Path dir, int part) {
        return new Path(dir, String.format("part-%05d%s", part, StereoShardFormat.SUFFIX));
    }

    /**
     * Writes {@code dir}'s manifest listing {@code shards} (in that order; each must lie in {@code dir}): the last
     * step of a write, e.g. after the shards were written in parallel by {@link StereoShardWriter}s.
     */
    public static void writeManifest(FileSystem fs, Path dir, List<Shard> shards) {
        StringBuilder manifest = new StringBuilder();
        for (Shard s : shards) {
            manifest.append(s.path().getName()).append('\t').append(s.records()).append('\n');
        }
        try (FSDataOutputStream out = fs.create(new Path(dir, MANIFEST), true)) {
            out.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write manifest in " + dir, e);
        }
    }

    /** One listed shard and its record count. */
    public record Shard(Path path, long records) {
    }

    /** The shards listed in {@code dir}'s manifest, each checked to exist. */
    public static List<Shard> shards(FileSystem fs, Path dir) {
        Path manifest = new Path(dir, MANIFEST);
        List<Shard> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(manifest),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                long count;
                try {
                    count = f.length == 2 ? Long.parseLong(f[1].trim()) : -1;
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 0) {
                    throw new CalibDataException(manifest, lineNo, "expected 'name<TAB>count', got '" + line
                            + "'");
                }
                Path shard = new Path(dir, f[0]);
                if (!fs.exists(shard)) {
                    throw new CalibDataException(shard, "missing shard file, listed in " + manifest + " line "
                            + lineNo);
                }
                out.add(new Shard(shard, count));
            }
        } catch (FileNotFoundException e) {
            throw new CalibDataException(manifest, "missing manifest (unfinished or not a stereo dataset)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        return out;
    }

    /** Every record of the dataset in {@code dir}, shard by shard, checking each shard's count against the manifest. */
    public static List<StereoPair> readAll(FileSystem fs, Path dir) {
        List<StereoPair> out = new ArrayList<>();
        for (Shard shard : shards(fs, dir)) {
            List<StereoPair> records = StereoShardReader.readAll(fs, shard.path());
            if (records.size() != shard.records()) {
                throw new CalibDataException(shard.path(), "holds " + records.size()
                        + " records but " + new Path(dir, MANIFEST) + " lists " + shard.records());
            }
            out.addAll(records);
        }
        return out;
    }
}
