package io.concord.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key-naming rule of docs/contributing.md, checked on every shipped config and preset: keys are lowerCamelCase;
 * component names ({@code name:} values) are lowercase words joined by '-' or '_'. The only exceptions are sections
 * that mirror an upstream implementation's own names, listed in {@link #MIRRORED}.
 */
class KeyNamingRuleTest {

    private static final Pattern CAMEL = Pattern.compile("[a-z][a-zA-Z0-9]*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([-_][a-z0-9]+)*");

    /** Sections whose keys mirror upstream names (config file, job prefix): why is in docs/contributing.md. */
    private static final Map<String, String> MIRRORED = Map.of(
            "ultragcn", "", // UltraGCN's config.ini (embedding_dim, ii_neighbor_num, ...)
            "loss", "pref-", // TRL / TOFU argument names in the preference jobs (label_smoothing, ...)
            "spark.conf", ""); // Spark's own property names

    @Test
    void everyShippedConfigFollowsTheRule() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(Path.of("src/main/resources/concord"))) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String job = p.getParent().getFileName().toString().equals("jobs")
                        ? p.getFileName().toString().replace(".yaml", "") : p.getParent().getFileName().toString();
                walk(yaml.readTree(p.toFile()), "", job, p, violations);
                files++;
            }
        }
        assertThat(files).isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    @Test
    void theRuleCatchesASnakeCaseKeyOutsideTheMirroredSections() throws IOException {
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(
                "train:\n  batch_size: 3\nultragcn:\n  embedding_dim: 8\nloss:\n  label_smoothing: 0.1\n");
        List<String> logreg = new ArrayList<>();
        walk(tree, "", "logreg", Path.of("x.yaml"), logreg);
        assertThat(logreg).containsExactly("x.yaml: train.batch_size", "x.yaml: loss.label_smoothing");
        List<String> pref = new ArrayList<>();
        walk(tree, "", "pref-align", Path.of("x.yaml"), pref);
        assertThat(pref).containsExactly("x.yaml: train.batch_size");
    }

    private static void walk(JsonNode node, String path, String job, Path file, List<String> violations) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!mirrored(path, job) && !CAMEL.matcher(e.getKey()).matches()) {
                violations.add(file + ": " + key);
            }
            if (e.getKey().equals("name") && e.getValue().isTextual()
                    && !NAME.matcher(e.getValue().asText()).matches()) {
                violations.add(file + ": " + key + " = " + e.getValue().asText());
            }
            walk(e.getValue(), key, job, file, violations);
        }
    }

    private static boolean mirrored(String section, String job) {
        for (Map.Entry<String, String> m : MIRRORED.entrySet()) {
            if ((section.equals(m.getKey()) || section.startsWith(m.getKey() + "."))
                    && job.startsWith(m.getValue())) {
                return true;
            }
        }
        return false;
    }
}
