package io.concord.data.pref;

import io.concord.core.lm.CharVocabulary;
import io.concord.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Saves and loads a {@link CharVocabulary} over any Hadoop FileSystem (format in {@link CharVocabulary}). */
public final class VocabularyFiles {

    private VocabularyFiles() {
    }

    public static void save(CharVocabulary vocabulary, Path file, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(file, true);
                 Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                vocabulary.write(w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing vocabulary " + file + " failed", e);
        }
    }

    public static CharVocabulary load(Path file, Configuration conf) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(file.getFileSystem(conf).open(file),
                StandardCharsets.UTF_8))) {
            return CharVocabulary.read(r, file.toString());
        } catch (CharVocabulary.FormatException e) {
            throw new DataException(file.toString(), e.line(), e.detail());
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }
}
