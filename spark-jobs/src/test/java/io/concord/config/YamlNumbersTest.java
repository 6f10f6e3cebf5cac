package io.concord.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers as users write them: exponent forms without a dot are numbers (as in YAML 1.2 and JSON). */
class YamlNumbersTest {

    @Test
    void exponentWithoutADotIsANumberInFilesAndOverrides() {
        ObjectNode tree = (ObjectNode) ConfigLoader.parse(new ByteArrayInputStream(
                "optimizer:\n  lr: 1e-4\n  eps: 5E+2\n".getBytes(StandardCharsets.UTF_8)), "test.yaml");
        assertThat(tree.at("/optimizer/lr").isNumber()).isTrue();
        assertThat(tree.at("/optimizer/lr").asDouble()).isEqualTo(1e-4);
        assertThat(tree.at("/optimizer/eps").asDouble()).isEqualTo(500.0);
        ConfigLoader.applyOverride(tree, "optimizer.lr=3e-5");
        assertThat(tree.at("/optimizer/lr").isNumber()).isTrue();
        assertThat(tree.at("/optimizer/lr").asDouble()).isEqualTo(3e-5);
        ConfigLoader.applyOverride(tree, "optimizer.lr='3e-5'");
        assertThat(tree.at("/optimizer/lr").isTextual()).as("quoted stays a string").isTrue();
    }
}
