package io.concord.engine.allreduce;

import org.apache.spark.SparkConf;
import org.apache.spark.network.netty.SparkTransportConf;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.util.TransportConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.Option;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two executors' inboxes in one JVM, over loopback with Spark's network-common: slices arrive bit for bit, in the
 * reader's vector where it asked, texts as sent; what is sent to a task that abandoned its attempt is dropped; with a
 * shared secret only a peer that knows it can push.
 */
class PeerInboxTest {

    private static final String HOST = "127.0.0.1";
    private final List<PeerInbox> opened = new ArrayList<>();
    private final AtomicInteger arrivals = new AtomicInteger();

    @AfterEach
    void close() {
        opened.forEach(PeerInbox::close);
    }

    private PeerInbox inbox(SecretKeyHolder secrets) {
        SparkConf conf = new SparkConf().set("spark.app.id", "inbox-test");
        TransportConf transport = SparkTransportConf.fromSparkConf(conf, "shuffle", 1, Option.empty());
        PeerInbox inbox = new PeerInbox(transport, secrets, "inbox-test", HOST, arrivals::incrementAndGet);
        opened.add(inbox);
        return inbox;
    }

    private static ByteBuffer bytes(float[] values, int from, int length) {
        ByteBuffer b = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, from, length);
        return b;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 1e3f;
        }
        v[0] = -0.0f;
        v[1] = Float.MIN_VALUE;
        v[2] = Float.NaN;
        return v;
    }

    private static PeerInbox.Landed await(PeerInbox inbox, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            PeerInbox.Landed landed = inbox.take(name);
            if (landed != null) {
                return landed;
            }
            Thread.sleep(1);
        }
        throw new AssertionError(name + " never arrived");
    }

    private static void assertBits(float[] actual, int at, float[] expected, int from, int length) {
        for (int i = 0; i < length; i++) {
            assertThat(Float.floatToRawIntBits(actual[at + i])).as("float %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[from + i]));
        }
    }

    @Test
    void aSliceArrivesBitForBitInAFreshArrayOrInTheReadersVector() throws Exception {
        PeerInbox writer = inbox(null);
        PeerInbox reader = inbox(null);
        // 3 MB: many network chunks, so floats split between chunks carry over
        float[] source = random(750_001, 1);
        writer.sendFloats(HOST, reader.port(), "fresh", "t0", bytes(source, 1, 750_000)).get(30, TimeUnit.SECONDS);
        PeerInbox.Landed fresh = await(reader, "fresh");
        assertThat(fresh.inPlace()).isFalse();
        assertThat(fresh.length()).isEqualTo(750_000);
        assertBits(fresh.floats(), fresh.offset(), source, 1, 750_000);

        float[] vector = new float[1_000_000];
        reader.expect("in-place", vector, 200_000, 750_000);
        writer.sendFloats(HOST, reader.port(), "in-place", "t0", bytes(source, 0, 750_000))
                .get(30, TimeUnit.SECONDS);
        PeerInbox.Landed placed = await(reader, "in-place");
        assertThat(placed.inPlace()).isTrue();
        assertThat(placed.floats()).isSameAs(vector);
        assertBits(vector, 200_000, source, 0, 750_000);
        assertThat(vector[199_999]).isZero();
        assertThat(vector[950_000]).isZero();
        assertThat(reader.held()).isZero();
        assertThat(arrivals.get()).isEqualTo(2);
    }

    @Test
    void textsArriveAsSentIncludingEmptyOnes() throws Exception {
        PeerInbox writer = inbox(null);
        PeerInbox reader = inbox(null);
        writer.sendText(HOST, reader.port(), "a", "t1", "loss=0.25\tλ").get(30, TimeUnit.SECONDS);
        writer.sendText(HOST, reader.port(), "b", "t1", "").get(30, TimeUnit.SECONDS);
        assertThat(await(reader, "a").text()).isEqualTo("loss=0.25\tλ");
        assertThat(await(reader, "b").text()).isEmpty();
        assertThat(reader.take("a")).isNull();
    }

    @Test
    void aFloatSplitAcrossChunksIsReassembled() throws Exception {
        PeerInbox reader = inbox(null);
        float[] source = random(101, 2);
        ByteBuffer all = bytes(source, 0, 101);
        PeerInbox.FloatSink sink = reader.new FloatSink("split", "t2", 101 * Float.BYTES, null);
        int[] chunks = {1, 3, 5, 2, 7, 13, 4, 0, 369};
        int at = 0;
        for (int c : chunks) {
            ByteBuffer chunk = all.duplicate();
            chunk.position(at).limit(at + c);
            sink.onData("split", chunk);
            at += c;
        }
        assertThat(at).isEqualTo(101 * Float.BYTES);
        sink.onComplete("split");
        PeerInbox.Landed landed = reader.take("split");
        assertBits(landed.floats(), 0, source, 0, 101);

        PeerInbox.FloatSink shortOne = reader.new FloatSink("short", "t2", 8, null);
        shortOne.onData("short", ByteBuffer.allocate(6));
        assertThatThrownBy(() -> shortOne.onComplete("short")).hasMessageContaining("ended after 1 of 2 floats");
    }

    @Test
    void aSliceLongerThanTheReaderExpectsFailsTheWriter() {
        PeerInbox writer = inbox(null);
        PeerInbox reader = inbox(null);
        reader.expect("x", new float[10], 0, 4);
        assertThatThrownBy(() -> writer.sendFloats(HOST, reader.port(), "x", "t3", bytes(new float[5], 0, 5))
                .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("its reader expects 4");
        assertThat(reader.take("x")).isNull();
    }

    @Test
    void whatReachesATaskThatAbandonedItsAttemptIsDropped() throws Exception {
        PeerInbox writer = inbox(null);
        PeerInbox reader = inbox(null);
        writer.sendText(HOST, reader.port(), "run-a0-5-1>2", "run-a0-2", "early").get(30, TimeUnit.SECONDS);
        writer.sendText(HOST, reader.port(), "run-a0-5-1>3", "run-a0-3", "other task").get(30, TimeUnit.SECONDS);
        reader.expect("run-a0-6-1>2", new float[4], 0, 4);
        assertThat(reader.held()).isEqualTo(3);
        reader.abandon("run-a0-2", "run-a0-");
        // the late one still completes for the writer (its task is not failed by a dropped slice), and is not kept
        writer.sendFloats(HOST, reader.port(), "run-a0-6-1>2", "run-a0-2", bytes(new float[4], 0, 4))
                .get(30, TimeUnit.SECONDS);
        assertThat(reader.take("run-a0-5-1>2")).isNull();
        assertThat(reader.take("run-a0-6-1>2")).isNull();
        assertThat(await(reader, "run-a0-5-1>3").text()).isEqualTo("other task");
        assertThat(reader.held()).isZero();
    }

    @Test
    void aConfiguredPortIsUsedAndTheNextOnesAreTriedWhenItIsTaken() throws Exception {
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            free = probe.getLocalPort();
        }
        SparkConf conf = new SparkConf().set("spark.app.id", "inbox-test");
        TransportConf transport = SparkTransportConf.fromSparkConf(conf, "shuffle", 1, Option.empty());
        PeerInbox first = new PeerInbox(transport, null, "inbox-test", HOST, free, 3, () -> { });
        opened.add(first);
        assertThat(first.port()).isEqualTo(free);
        PeerInbox second = new PeerInbox(transport, null, "inbox-test", HOST, free, 3, () -> { });
        opened.add(second);
        assertThat(second.port()).isGreaterThan(free).isLessThanOrEqualTo(free + 3);
        first.sendText(HOST, second.port(), "hello", "t5", "over a fixed port").get(30, TimeUnit.SECONDS);
        assertThat(await(second, "hello").text()).isEqualTo("over a fixed port");
        assertThatThrownBy(() -> new PeerInbox(transport, null, "inbox-test", HOST, free, 0, () -> { }))
                .hasMessageContaining("could not listen on " + HOST + ":" + free)
                .hasMessageContaining(PeerInbox.PORT_KEY);
    }

    private static SecretKeyHolder secret(String key) {
        return new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return "sparkSaslUser";
            }

            @Override
            public String getSecretKey(String appId) {
                return key;
            }
        };
    }

    @Test
    void withASharedSecretOnlyAPeerThatKnowsItCanPush() throws Exception {
        PeerInbox reader = inbox(secret("s3cret-one"));
        PeerInbox friend = inbox(secret("s3cret-one"));
        PeerInbox stranger = inbox(secret("another"));
        PeerInbox open = inbox(null);
        float[] source = random(1000, 3);
        friend.sendFloats(HOST, reader.port(), "ok", "t4", bytes(source, 0, 1000)).get(30, TimeUnit.SECONDS);
        assertBits(await(reader, "ok").floats(), 0, source, 0, 1000);
        assertThatThrownBy(() -> stranger.sendFloats(HOST, reader.port(), "no", "t4", bytes(source, 0, 1000))
                .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> open.sendText(HOST, reader.port(), "no2", "t4", "hello")
                .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(reader.take("no")).isNull();
        assertThat(reader.take("no2")).isNull();
    }
}
