package io.concord.core.util;

/**
 * Whether the incubating Vector API module ({@code jdk.incubator.vector}) is resolvable in this JVM: code with a SIMD
 * path (the UltraGCN negative kernel, Adam) keeps its Vector API classes apart and falls back to scalar loops when
 * the JVM was started without {@code --add-modules=jdk.incubator.vector}.
 */
public final class VectorSupport {
    private static final boolean AVAILABLE = probe();

    private VectorSupport() {
    }

    public static boolean available() {
        return AVAILABLE;
    }

    private static boolean probe() {
        try {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && Class.forName("jdk.incubator.vector.FloatVector") != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
