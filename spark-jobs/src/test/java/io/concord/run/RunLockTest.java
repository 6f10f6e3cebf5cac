package io.concord.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run lock on the local file system: exclusive, stale takeover, ownership check, release. */
class RunLockTest {

    @TempDir
    java.nio.file.Path tmp;

    private FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    private Path lockPath() {
        return new Path(tmp.resolve("_staging/r.lock").toUri().toString());
    }

    @Test
    void aSecondAcquireIsRefusedNamingTheHolderAndReleaseFreesIt() throws IOException {
        RunLock first = RunLock.acquire(fs(), lockPath(), "r", Duration.ofMinutes(5));
        first.setAppId("app-1");
        assertThatThrownBy(() -> RunLock.acquire(fs(), lockPath(), "r", Duration.ofMinutes(5)))
                .isInstanceOf(RunDirectory.OutputException.class)
                .hasMessageContaining("run r is locked by app app-1")
                .hasMessageContaining("pid " + ProcessHandle.current().pid());
        first.verify();
        first.close();
        assertThat(tmp.resolve("_staging/r.lock")).doesNotExist();
        RunLock.acquire(fs(), lockPath(), "r", Duration.ofMinutes(5)).close();
    }

    @Test
    void aLockNotRefreshedForTheTimeoutIsTakenOver() throws IOException {
        RunLock old = RunLock.acquire(fs(), lockPath(), "r", Duration.ofHours(1));
        old.setAppId("app-old");
        // as if its holder had stopped refreshing it two minutes ago
        fs().setTimes(lockPath(), System.currentTimeMillis() - 120_000, -1);
        try (RunLock taker = RunLock.acquire(fs(), lockPath(), "r", Duration.ofSeconds(60))) {
            taker.verify();
            assertThatThrownBy(old::verify).isInstanceOf(RunDirectory.OutputException.class)
                    .hasMessageContaining("is no longer held by this run");
            old.close();
            assertThat(tmp.resolve("_staging/r.lock")).as("the old holder must not delete the new lock").exists();
        }
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsStaleAtOnce() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        RunLock mine = RunLock.acquire(fs(), lockPath(), "r", Duration.ofHours(1));
        ObjectMapper json = new ObjectMapper();
        ObjectNode content = (ObjectNode) json.readTree(tmp.resolve("_staging/r.lock").toFile());
        content.put("pid", process.pid());
        content.put("token", "someone-else");
        Files.write(tmp.resolve("_staging/r.lock"), json.writeValueAsBytes(content));
        try (RunLock taker = RunLock.acquire(fs(), lockPath(), "r", Duration.ofHours(1))) {
            taker.verify();
        }
        mine.close();
    }
}
