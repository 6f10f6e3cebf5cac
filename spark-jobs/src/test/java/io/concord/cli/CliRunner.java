package io.concord.cli;

/** Public entry for tests in other packages: runs the CLI in-process. */
public final class CliRunner {

    private CliRunner() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    public static Result run(String... args) {
        CliRun run = CliRun.of(args);
        return new Result(run.exitCode(), run.out(), run.err());
    }
}
