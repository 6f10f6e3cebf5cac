package io.concord.data.moe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.core.moe.MoeExample;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes MoE examples as the JSON Lines {@link MoeJsonlReader} reads ({@code features}+{@code label} or
 * {@code tokens}, and {@code domain} by name), e.g. to materialise generated data for a job that reads files.
 */
public final class MoeJsonlWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MoeJsonlWriter() {
    }

    /** Writes {@code examples} to {@code file} (overwriting); domains are written as {@code domainNames.get(d)}. */
    public static void write(FileSystem fs, Path file, List<MoeExample> examples, List<String> domainNames)
            throws IOException {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8))) {
            for (MoeExample x : examples) {
                out.write(MAPPER.writeValueAsString(toJson(x, domainNames)));
                out.write('\n');
            }
        }
    }

    static ObjectNode toJson(MoeExample x, List<String> domainNames) {
        ObjectNode node = MAPPER.createObjectNode();
        if (x.hasFeatures()) {
            ArrayNode a = node.putArray("features");
            for (float v : x.features()) {
                a.add(v);
            }
            node.put("label", x.label());
        } else {
            ArrayNode a = node.putArray("tokens");
            for (int t : x.tokens()) {
                a.add(t);
            }
        }
        if (x.domain() != MoeExample.UNKNOWN_DOMAIN) {
            if (x.domain() >= domainNames.size()) {
                throw new IllegalArgumentException("example has domain " + x.domain() + " but only "
                        + domainNames.size() + " domain names were given");
            }
            node.put("domain", domainNames.get(x.domain()));
        }
        return node;
    }
}
