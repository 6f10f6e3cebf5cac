package io.concord.workload.pref;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs {@code concord train <job>} in-process on local[2] for the preference CLI tests. */
final class PrefCli {

    private PrefCli() {
    }

    static CliRunner.Result train(Path out, String job, String runId, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", out.toString(), "--run-id", runId,
                "--master", "local[2]", "--no-progress"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return CliRunner.run(args.toArray(String[]::new));
    }

    static JsonNode summary(Path runDir) throws IOException {
        return new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
