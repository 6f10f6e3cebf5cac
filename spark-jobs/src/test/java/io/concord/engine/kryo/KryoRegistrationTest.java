package io.concord.engine.kryo;

import io.concord.core.model.LabeledVector;
import io.concord.core.moe.RoutingTally;
import io.concord.data.calib.StereoPair;
import io.concord.engine.RoundRecord;
import io.concord.job.ConcordSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KryoRegistrationTest {

    @Test
    void everyWorkloadProviderContributesAndTheOrderIsStable() {
        List<String> classes = ConcordKryoRegistrator.classes();
        assertThat(classes).startsWith(new EngineKryoClasses().classNames().toArray(new String[0]));
        assertThat(classes).contains(LabeledVector.class.getName(), RoutingTally.class.getName(),
                StereoPair.class.getName(), "org.apache.spark.ml.recommendation.ALS$InBlock",
                "io.concord.core.pref.PreferencePair", RoundRecord.class.getName());
        assertThat(classes).doesNotHaveDuplicates();
        assertThat(ConcordKryoRegistrator.classes()).isEqualTo(classes);
    }

    @Test
    void registeredClassesSerialiseWithRegistrationRequiredAndOthersFail() {
        SparkConf conf = ConcordSpark.conf("local[1]", "kryo-test", Map.of());
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        LabeledVector v = new LabeledVector(new float[]{1f, 2f}, 1);
        Object back = kryo.deserialize(kryo.serialize(v, ClassTag$.MODULE$.apply(LabeledVector.class)),
                ClassTag$.MODULE$.apply(LabeledVector.class));
        assertThat(back).usingRecursiveComparison().isEqualTo(v);
        record NotRegistered(int x) {
        }
        assertThatThrownBy(() -> kryo.serialize(new NotRegistered(1), ClassTag$.MODULE$.apply(NotRegistered.class)))
                .hasMessageContaining("Class is not registered");
    }
}
