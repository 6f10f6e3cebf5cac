package io.concord.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock of one run id: the file {@code <output>/_staging/<run-id>.lock}, created atomically (HDFS
 * {@code create(overwrite=false)}; on the local file system an exclusive {@code CREATE_NEW}), holding a JSON
 * description of the holder (token, app id, host, pid, user, start time). A daemon thread refreshes its modification
 * time every {@code staleAfter / 4}; a lock not refreshed for {@code staleAfter} — or held by a process of this host
 * that no longer exists — is stale and may be taken over (by renaming it away first, which only one taker can do).
 */
public final class RunLock implements AutoCloseable {

    /** Hadoop/Spark configuration key ({@code spark.hadoop.} prefix under Spark) of the stale timeout, in seconds. */
    public static final String STALE_SECONDS_KEY = "concord.lock.staleSeconds";
    public static final long DEFAULT_STALE_SECONDS = 120;

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path path;
    private final String token;
    private final Duration staleAfter;
    private final ObjectNode holder;
    private ScheduledExecutorService refresher;

    private RunLock(FileSystem fs, Path path, Duration staleAfter, ObjectNode holder) {
        this.fs = fs;
        this.path = path;
        this.staleAfter = staleAfter;
        this.holder = holder;
        this.token = holder.get("token").asText();
    }

    /**
     * Takes the lock or throws an {@link RunDirectory.OutputException} naming the live holder.
     */
    public static RunLock acquire(FileSystem fs, Path path, String runId, Duration staleAfter) {
        ObjectNode holder = JSON.createObjectNode();
        holder.put("token", UUID.randomUUID().toString());
        holder.put("runId", runId);
        holder.put("appId", "(starting)");
        holder.put("host", hostName());
        holder.put("pid", ProcessHandle.current().pid());
        holder.put("user", System.getProperty("user.name"));
        holder.put("started", Instant.now().toString());
        RunLock lock = new RunLock(fs, path, staleAfter, holder);
        try {
            if (!lock.tryCreate()) {
                Holder existing = lock.readHolder();
                if (existing == Holder.NONE && lock.tryCreate()) {
                    lock.startRefreshing();
                    return lock;
                }
                if (!existing.isStale(fs, path, staleAfter)) {
                    throw new RunDirectory.OutputException("run " + runId + " is locked by " + existing.describe()
                            + " (lock " + path + "); wait for it to end, or remove the lock if that run is gone "
                            + "(it turns stale " + staleAfter.toSeconds() + " s after its last refresh)");
                }
                LOG.warn("taking over the stale lock {} of {}", path, existing.describe());
                Path aside = new Path(path.getParent(), path.getName() + ".stale-" + lock.token);
                if (!fs.rename(path, aside) || !lock.tryCreate()) {
                    throw new RunDirectory.OutputException("run " + runId + " is locked by another submission "
                            + "that took over the stale lock " + path + " at the same time");
                }
                fs.delete(aside, false);
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("locking " + path + ": " + e.getMessage(), e);
        }
        lock.startRefreshing();
        return lock;
    }

    public Path path() {
        return path;
    }

    /** Records the Spark application id in the lock once Spark is up. */
    public void setAppId(String appId) {
        holder.put("appId", appId);
        verify();
        try (FSDataOutputStream out = fs.create(path, true)) {
            out.write(JSON.writeValueAsBytes(holder));
        } catch (IOException e) {
            throw new RunDirectory.OutputException("updating lock " + path + ": " + e.getMessage(), e);
        }
    }

    /** Throws unless this run still holds the lock (called right before commit). */
    public void verify() {
        Holder current;
        try {
            current = readHolder();
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading lock " + path + ": " + e.getMessage(), e);
        }
        if (!token.equals(current.token())) {
            throw new RunDirectory.OutputException("run lock " + path + " is no longer held by this run (now "
                    + current.describe() + "); nothing committed");
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        try {
            if (token.equals(readHolder().token())) {
                fs.delete(path, false);
            }
        } catch (IOException e) {
            LOG.warn("could not release the run lock {}: {}", path, e.getMessage());
        }
    }

    private boolean tryCreate() throws IOException {
        byte[] content = JSON.writeValueAsBytes(holder);
        if (isLocal(fs)) {
            java.nio.file.Path local = ((LocalFileSystem) fs).pathToFile(path).toPath();
            Files.createDirectories(local.getParent());
            try (OutputStream out = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(content);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            return true;
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(content);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            // HDFS reports a concurrent create of the same file as AlreadyBeingCreatedException (a RemoteException).
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem && ((LocalFileSystem) fs).getRawFileSystem() instanceof RawLocalFileSystem;
    }

    private void startRefreshing() {
        long periodMs = Math.max(250, staleAfter.toMillis() / 4);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "concord-run-lock");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(() -> {
            try {
                fs.setTimes(path, System.currentTimeMillis(), -1);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not refresh the run lock {}: {}", path, e.getMessage());
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private Holder readHolder() throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return Holder.UNKNOWN;
            }
            JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            return new Holder(node.path("token").asText(), node.path("appId").asText("?"),
                    node.path("host").asText("?"), node.path("pid").asLong(-1), node.path("user").asText("?"),
                    node.path("started").asText("?"));
        } catch (FileNotFoundException e) {
            return Holder.NONE;
        } catch (JsonProcessingException e) {
            return Holder.UNKNOWN;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Who holds a lock, as read from its file. */
    private record Holder(String token, String appId, String host, long pid, String user, String started) {

        static final Holder NONE = new Holder("", "-", "-", -1, "-", "-");
        static final Holder UNKNOWN = new Holder("?", "?", "?", -1, "?", "?");

        String describe() {
            if (this == NONE) {
                return "nobody (the lock file is gone)";
            }
            return "app " + appId + " (host " + host + ", pid " + pid + ", user " + user + ", started " + started + ")";
        }

        boolean isStale(FileSystem fs, Path path, Duration staleAfter) throws IOException {
            if (this == NONE) {
                return true;
            }
            if (host.equals(hostName()) && pid > 0 && pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).isEmpty()) {
                return true;
            }
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                return true;
            }
            return System.currentTimeMillis() - status.getModificationTime() > staleAfter.toMillis();
        }
    }
}
