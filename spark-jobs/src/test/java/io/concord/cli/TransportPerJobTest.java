package io.concord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every training job runs with {@code train.transport: allreduce} from config (multi-round barrier stages on
 * local[4]) and commits the same model, byte for byte, as with the driver transport for the same seed.
 */
class TransportPerJobTest {

    @TempDir
    Path tmp;

    private void sameModel(String job, String runId, String... sets) throws IOException {
        Path out = tmp.resolve("out");
        byte[] driver = TinyJobs.trainLocally(out, job, runId + "-driver", "driver", sets);
        byte[] allreduce = TinyJobs.trainLocally(out, job, runId + "-allreduce", "allreduce", sets);
        assertThat(allreduce).as(job + " params.bin").isEqualTo(driver);
    }

    @Test
    void logreg() throws IOException {
        sameModel("logreg", "logreg", TinyJobs.LOGREG);
    }

    @Test
    void ultragcn() throws IOException {
        sameModel("ultragcn", "ultragcn", TinyJobs.ULTRAGCN);
    }

    @Test
    void moeWithExactGlobalBalancing() throws IOException {
        sameModel("moe", "moe", TinyJobs.MOE);
    }

    @Test
    void calib() throws IOException {
        sameModel("calib", "calib", TinyJobs.CALIB);
    }

    @Test
    void preferenceJobs() throws IOException {
        Path pairs = TinyJobs.pairsFile(tmp);
        sameModel("pref-sft", "sft-pairs", TinyJobs.sftOnPairs(pairs));
        Path sft = tmp.resolve("out").resolve("sft-pairs-driver");
        sameModel("pref-align", "pref-align", TinyJobs.alignFrom(pairs, sft));

        Path tofu = TinyJobs.tofuDir(tmp);
        sameModel("pref-sft", "sft-tofu", TinyJobs.sftOnTofu(tofu));
        sameModel("pref-unlearn", "pref-unlearn",
                TinyJobs.unlearnFrom(tofu, tmp.resolve("out").resolve("sft-tofu-driver")));
    }
}
