package io.concord.engine.allreduce;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SecurityManager;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.buffer.NioManagedBuffer;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.StreamCallbackWithID;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.netty.SparkTransportConf;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.OneForOneStreamManager;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.TransportConf;
import scala.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where slices pushed by peers in other executors land: one Spark network server per executor JVM (Spark's
 * network-common, the library under its block transfer service, with the same {@code spark.shuffle.io.*} settings and,
 * with {@code spark.authenticate}, the same authentication and encryption bootstraps). A writer streams its slice
 * ({@code uploadStream}); the server writes it as it arrives into a float array — the reader's own vector where the
 * reader said in advance where it goes ({@link #expect}), a fresh array otherwise — and the reader takes it by name.
 *
 * <p>Unlike the block manager this reports nothing to the driver (a block uploaded into a block manager is reported
 * to the driver's {@code BlockManagerMaster} when it arrives and again when it is removed, each a synchronous round
 * trip to one endpoint that handles them one at a time) and copies each slice once on the way in, not into an RPC
 * message first. What a failed stage attempt's peers still send to a task that gave up is dropped ({@link #abandon}).
 */
final class PeerInbox implements AutoCloseable {

    /**
     * The port each executor's inbox listens on (Spark property; 0, the default: any free port). With a port set, the
     * next {@code spark.port.maxRetries} ports are tried if it is taken, as Spark does for its own ports.
     */
    static final String PORT_KEY = "spark.concord.peerInbox.port";
    private static final byte FLOATS = 0;
    private static final byte TEXT = 1;
    private static PeerInbox executorInbox;

    private final TransportContext context;
    private final TransportServer server;
    private final TransportClientFactory clients;
    private final String host;
    private final Runnable onArrival;
    /** What arrived, by name, until its reader takes it: a {@link Landed}. */
    private final ConcurrentHashMap<String, Landed> arrived = new ConcurrentHashMap<>();
    /** Where a reader wants a slice written, by name (registered before the writer may send it). */
    private final ConcurrentHashMap<String, Target> expected = new ConcurrentHashMap<>();
    /** Destinations ({@code attempt prefix + partition}) whose task abandoned its stage attempt. */
    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();

    /** A slice or text that arrived: floats {@code [offset, offset + length)} of {@code floats}, or {@code text}. */
    record Landed(String destination, float[] floats, int offset, int length, String text, boolean inPlace) {
        long bytes() {
            return text != null ? text.length() : (long) length * Float.BYTES;
        }
    }

    private record Target(float[] floats, int offset, int length) {
    }

    PeerInbox(TransportConf conf, SecretKeyHolder secrets, String appId, String host, Runnable onArrival) {
        this(conf, secrets, appId, host, 0, 0, onArrival);
    }

    PeerInbox(TransportConf conf, SecretKeyHolder secrets, String appId, String host, int port, int retries,
              Runnable onArrival) {
        this.host = host;
        this.onArrival = onArrival;
        this.context = new TransportContext(conf, new Handler());
        List<TransportServerBootstrap> serverBootstraps = secrets == null ? List.of()
                : List.of(new AuthServerBootstrap(conf, secrets));
        List<TransportClientBootstrap> clientBootstraps = secrets == null ? List.of()
                : List.of(new AuthClientBootstrap(conf, appId, secrets));
        try {
            this.server = bind(context, host, port, retries, serverBootstraps);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        this.clients = context.createClientFactory(clientBootstraps);
    }

    private static TransportServer bind(TransportContext context, String host, int port, int retries,
                                        List<TransportServerBootstrap> bootstraps) {
        for (int attempt = 0; ; attempt++) {
            int tried = port == 0 ? 0 : port + attempt;
            try {
                return context.createServer(host, tried, bootstraps);
            } catch (Exception e) {
                // netty rethrows the socket's BindException undeclared
                boolean taken = e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException;
                if (port == 0 || attempt >= retries || !taken) {
                    throw new IllegalStateException("the peer inbox could not listen on " + host + ":" + tried
                            + (port == 0 ? "" : " (" + PORT_KEY + "=" + port + ", " + retries
                            + " more tried; spark.port.maxRetries)") + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** This executor's inbox, started on first use with the executor's Spark settings. */
    static synchronized PeerInbox ofThisExecutor(String host, Runnable onArrival) {
        if (executorInbox == null) {
            SparkEnv env = SparkEnv.get();
            SparkConf conf = env.conf();
            TransportConf transport = SparkTransportConf.fromSparkConf(conf, "shuffle", 0, Option.empty());
            SecurityManager security = env.securityManager();
            executorInbox = new PeerInbox(transport, security.isAuthenticationEnabled() ? security : null,
                    conf.getAppId(), host, conf.getInt(PORT_KEY, 0), conf.getInt("spark.port.maxRetries", 16),
                    onArrival);
        }
        return executorInbox;
    }

    String host() {
        return host;
    }

    int port() {
        return server.getPort();
    }

    /**
     * Streams little-endian floats ({@code bytes}, from its position to its limit) to the inbox at host:port, under
     * {@code name}, for the task {@code destination} (attempt prefix + partition); completes once they have landed.
     */
    CompletableFuture<Void> sendFloats(String toHost, int toPort, String name, String destination, ByteBuffer bytes) {
        return send(toHost, toPort, FLOATS, name, destination, bytes);
    }

    CompletableFuture<Void> sendText(String toHost, int toPort, String name, String destination, String text) {
        return send(toHost, toPort, TEXT, name, destination, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private CompletableFuture<Void> send(String toHost, int toPort, byte kind, String name, String destination,
                                         ByteBuffer data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] header = (kind + "\t" + data.remaining() + "\t" + destination + "\t" + name)
                .getBytes(StandardCharsets.UTF_8);
        try {
            TransportClient client = clients.createClient(toHost, toPort);
            client.uploadStream(new NioManagedBuffer(ByteBuffer.wrap(header)), new NioManagedBuffer(data),
                    new RpcResponseCallback() {
                        @Override
                        public void onSuccess(ByteBuffer response) {
                            done.complete(null);
                        }

                        @Override
                        public void onFailure(Throwable e) {
                            done.completeExceptionally(e);
                        }
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        } catch (IOException | RuntimeException e) {
            // connecting failed, authentication included
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * The reader's floats {@code [offset, offset + length)} of {@code floats} receive the slice sent under
     * {@code name} if it has not started arriving yet (then {@link #take} reports it {@code inPlace}).
     */
    void expect(String name, float[] floats, int offset, int length) {
        expected.put(name, new Target(floats, offset, length));
    }

    /** What arrived under {@code name}, removed from the inbox; null if it has not (completely) arrived yet. */
    Landed take(String name) {
        Landed landed = arrived.remove(name);
        if (landed != null) {
            expected.remove(name);
        }
        return landed;
    }

    /**
     * The task at {@code destination} ({@code attempt prefix + partition}) gave up its stage attempt: what was sent
     * to it is dropped, now and when it arrives later.
     */
    void abandon(String destination, String attemptPrefix) {
        abandoned.add(destination);
        arrived.values().removeIf(landed -> landed.destination().equals(destination));
        expected.keySet().removeIf(name -> name.startsWith(attemptPrefix));
    }

    /** How many slices and texts wait for their readers (0 once every stage that used this inbox ended cleanly). */
    int held() {
        return arrived.size() + expected.size();
    }

    @Override
    public void close() {
        clients.close();
        server.close();
        context.close();
    }

    private final class Handler extends RpcHandler {
        private final StreamManager streams = new OneForOneStreamManager();

        @Override
        public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
            // peers only ever stream slices (uploadStream); a plain RPC here is not from a Concord task
            callback.onFailure(new IllegalArgumentException("the peer inbox takes slice streams, not RPC messages"));
        }

        @Override
        public StreamCallbackWithID receiveStream(TransportClient client, ByteBuffer header,
                                                  RpcResponseCallback callback) {
            byte[] bytes = new byte[header.remaining()];
            header.get(bytes);
            String[] fields = new String(bytes, StandardCharsets.UTF_8).split("\t", 4);
            if (fields.length != 4) {
                throw new IllegalArgumentException("malformed peer stream header");
            }
            byte kind = Byte.parseByte(fields[0]);
            int size = Integer.parseInt(fields[1]);
            String destination = fields[2];
            String name = fields[3];
            return kind == TEXT ? new TextSink(name, destination, size)
                    : new FloatSink(name, destination, size, expected.remove(name));
        }

        @Override
        public StreamManager getStreamManager() {
            return streams;
        }
    }

    /** A complete arrival; dropped if its task abandoned the attempt meanwhile. */
    private void land(String name, Landed landed) {
        if (abandoned.contains(landed.destination())) {
            return;
        }
        arrived.put(name, landed);
        // abandon() may have swept the inbox between the check above and the put
        if (abandoned.contains(landed.destination())) {
            arrived.remove(name);
            return;
        }
        onArrival.run();
    }

    /** Collects a UTF-8 text. */
    private final class TextSink implements StreamCallbackWithID {
        private final String name;
        private final String destination;
        private final java.io.ByteArrayOutputStream out;

        TextSink(String name, String destination, int size) {
            this.name = name;
            this.destination = destination;
            // texts are scalars and statistics: the header's size is only a hint, not an allocation
            this.out = new java.io.ByteArrayOutputStream(Math.max(0, Math.min(size, 1 << 16)));
        }

        @Override
        public String getID() {
            return name;
        }

        @Override
        public void onData(String id, ByteBuffer buf) {
            byte[] chunk = new byte[buf.remaining()];
            buf.get(chunk);
            out.write(chunk, 0, chunk.length);
        }

        @Override
        public void onComplete(String id) {
            land(name, new Landed(destination, null, 0, 0, out.toString(StandardCharsets.UTF_8), false));
        }

        @Override
        public void onFailure(String id, Throwable cause) {
            // the writer's upload fails too, so does its task
        }
    }

    /**
     * Writes little-endian floats as they arrive into the reader's target or a fresh array (a float may be split
     * between two network chunks: up to 3 bytes carry over).
     */
    final class FloatSink implements StreamCallbackWithID {
        private final String name;
        private final String destination;
        private final boolean inPlace;
        private final float[] floats;
        private final int offset;
        private final int end;
        private int at;
        private int carried;
        private final byte[] carry = new byte[Float.BYTES];

        FloatSink(String name, String destination, int bytes, Target target) {
            this.name = name;
            this.destination = destination;
            if (bytes % Float.BYTES != 0) {
                throw new IllegalArgumentException("peer slice " + name + " of " + bytes + " bytes ends inside a float");
            }
            int length = bytes / Float.BYTES;
            this.inPlace = target != null;
            if (inPlace && target.length() != length) {
                throw new IllegalArgumentException("peer slice " + name + " holds " + length
                        + " floats, its reader expects " + target.length());
            }
            this.floats = inPlace ? target.floats() : new float[length];
            this.offset = inPlace ? target.offset() : 0;
            this.at = offset;
            this.end = offset + length;
        }

        @Override
        public String getID() {
            return name;
        }

        @Override
        public void onData(String id, ByteBuffer buf) throws IOException {
            ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
            while (carried > 0 && b.hasRemaining()) {
                carry[carried++] = b.get();
                if (carried == Float.BYTES) {
                    claim(1);
                    floats[at - 1] = ByteBuffer.wrap(carry).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                    carried = 0;
                }
            }
            int n = b.remaining() / Float.BYTES;
            int from = at;
            claim(n);
            b.asFloatBuffer().get(floats, from, n);
            b.position(b.position() + n * Float.BYTES);
            while (b.hasRemaining()) {
                carry[carried++] = b.get();
            }
        }

        private void claim(int n) throws IOException {
            if (at + n > end) {
                throw new IOException("peer slice " + name + " is longer than its header says");
            }
            at += n;
        }

        @Override
        public void onComplete(String id) throws IOException {
            if (carried != 0 || at != end) {
                throw new IOException("peer slice " + name + " ended after " + (at - offset) + " of "
                        + (end - offset) + " floats");
            }
            land(name, new Landed(destination, floats, offset, end - offset, null, inPlace));
        }

        @Override
        public void onFailure(String id, Throwable cause) {
            // the writer's upload fails too, so does its task
        }
    }
}
