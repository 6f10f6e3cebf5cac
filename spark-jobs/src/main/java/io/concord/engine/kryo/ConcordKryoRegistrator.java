package io.concord.engine.kryo;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Registers every class Concord ships through Kryo (broadcasts, task results, shuffles, cached shards), so jobs run
 * with {@code spark.kryo.registrationRequired=true}: an unregistered class fails fast instead of silently writing
 * full class names into every record. What to register is declared next to the code that ships it
 * ({@link KryoClasses} providers).
 */
public final class ConcordKryoRegistrator implements KryoRegistrator {

    /**
     * Every class to register, in registration order: the engine's first, then each {@link KryoClasses} provider's
     * (providers sorted by class name; a class listed twice is registered once).
     */
    public static List<String> classes() {
        Set<String> names = new LinkedHashSet<>(new EngineKryoClasses().classNames());
        List<KryoClasses> providers = new ArrayList<>();
        ServiceLoader.load(KryoClasses.class, Thread.currentThread().getContextClassLoader()).forEach(providers::add);
        providers.sort(Comparator.comparing(p -> p.getClass().getName()));
        for (KryoClasses provider : providers) {
            if (!(provider instanceof EngineKryoClasses)) {
                names.addAll(provider.classNames());
            }
        }
        return List.copyOf(names);
    }

    @Override
    public void registerClasses(Kryo kryo) {
        // ND4J arrays hold off-heap buffers that field serialization would lose (DL4J's "cryptic NPE"); the
        // 1.0.0-M2 nd4j-kryo jar ships the serializer but no registrator, so install it for every INDArray here.
        kryo.addDefaultSerializer(INDArray.class, new Nd4jSerializer());
        Class<?> cpuArray = load("org.nd4j.linalg.cpu.nativecpu.NDArray", false);
        if (cpuArray != null) {
            kryo.register(cpuArray);
        }
        for (String name : classes()) {
            kryo.register(load(name, true));
        }
    }

    private static Class<?> load(String name, boolean required) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            if (required) {
                throw new IllegalStateException("Kryo registration: class " + name + " not found", e);
            }
            return null;
        }
    }
}
