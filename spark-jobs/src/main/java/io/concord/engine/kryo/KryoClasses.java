package io.concord.engine.kryo;

import java.util.List;

/**
 * The classes one part of Concord ships through Kryo, declared next to its code: each workload provides one
 * implementation, listed in {@code META-INF/services/io.concord.engine.kryo.KryoClasses}, and
 * {@link ConcordKryoRegistrator} registers them all. Keep a provider's order stable: together with the providers'
 * order (sorted by provider class name) it defines Kryo's class ids, which driver and executors must agree on.
 */
public interface KryoClasses {

    /** Binary class names ({@code Class.getName()} form, e.g. {@code "[F"} or {@code "a.B$C"}). */
    List<String> classNames();
}
