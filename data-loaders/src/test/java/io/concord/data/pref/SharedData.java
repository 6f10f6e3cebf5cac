package io.concord.data.pref;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared datasets folder (system property {@code concord.shared}); skips the test when absent. */
final class SharedData {

    private SharedData() {
    }

    static Path dataset(String name) {
        String shared = System.getProperty("concord.shared", "../shared");
        Path p = Paths.get(shared, "datasets", name);
        Assumptions.assumeTrue(Files.isDirectory(p), "shared dataset " + p + " not present");
        return p;
    }
}
