package io.concord.data.io;

import io.concord.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The data files of an input path over any Hadoop {@link FileSystem}, and how to open them. A path is a file, or a
 * directory whose visible files (names not starting with {@code _} or {@code .}, as Hadoop and Spark write them) are
 * read in name order. Files are decompressed by Hadoop's {@link CompressionCodecFactory} from their extension
 * ({@code .gz}, {@code .bz2}, {@code .deflate}, … any codec the configuration knows).
 */
public final class InputFiles {

    private InputFiles() {
    }

    /** The data files of {@code path}; a missing path or a directory without data files is a {@link DataException}. */
    public static List<Path> list(Path path, Configuration conf) {
        return list(path, conf, null);
    }

    /**
     * The data files of {@code path}; {@code key} (may be null) names the config key in errors, e.g.
     * {@code data.paths}.
     */
    public static List<Path> list(Path path, Configuration conf, String key) {
        String where = key == null ? "" : " (" + key + ")";
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new DataException(path.toString(), "input path does not exist" + where);
            }
            if (status.isFile()) {
                return List.of(status.getPath());
            }
            FileStatus[] children = fs.listStatus(path);
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            List<Path> files = new ArrayList<>();
            for (FileStatus child : children) {
                String name = child.getPath().getName();
                if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(child.getPath());
                }
            }
            if (files.isEmpty()) {
                throw new DataException(path.toString(), "directory holds no data files (the dataset is empty)"
                        + where);
            }
            return files;
        } catch (IOException e) {
            throw new DataException(path.toString(), "cannot list: " + e.getMessage() + where, e);
        }
    }

    /** The data files of every path, in the order given (each directory's files in name order). */
    public static List<Path> list(List<String> paths, Configuration conf, String key) {
        List<Path> out = new ArrayList<>();
        for (String p : paths) {
            out.addAll(list(new Path(p), conf, key));
        }
        return out;
    }

    /** The file's bytes, decompressed when its extension names a codec Hadoop knows. */
    public static InputStream open(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        InputStream raw = fs.open(file);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
        if (codec == null) {
            return raw;
        }
        try {
            return codec.createInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The file's lines under {@code options}; bad lines go to {@code bad}. */
    public static TextLines lines(Path file, Configuration conf, ReadOptions options, BadRecords bad) {
        try {
            return new TextLines(file.toString(), open(file, conf), options.maxRecordBytes(), bad);
        } catch (FileNotFoundException e) {
            throw new DataException(file.toString(), "not found");
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot open: " + e.getMessage(), e);
        }
    }
}
