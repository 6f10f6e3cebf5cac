package io.concord.cli;

import io.concord.job.Job;
import io.concord.workload.als.AlsJob;
import io.concord.workload.calib.CalibJob;
import io.concord.workload.logreg.LogRegJob;
import io.concord.workload.moe.MoeJob;
import io.concord.workload.ultragcn.UltraGcnJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.concord.config.ConfigException;
import io.concord.workload.pref.PrefAlignJob;
import io.concord.workload.pref.PrefSampleJob;
import io.concord.workload.pref.PrefSftJob;
import io.concord.workload.pref.PrefUnlearnJob;

/** Every job the CLI knows, by name. */
public final class JobRegistry {

    private static final Map<String, Job<?>> JOBS = new LinkedHashMap<>();

    static {
        register(new LogRegJob());
        register(new MoeJob());
        register(new PrefSftJob());
        register(new PrefSampleJob());
        register(new PrefAlignJob());
        register(new PrefUnlearnJob());
        register(new CalibJob());
        register(new UltraGcnJob());
        register(new AlsJob());
    }

    private JobRegistry() {
    }

    private static void register(Job<?> job) {
        JOBS.put(job.name(), job);
    }

    public static Job<?> get(String name) {
        Job<?> job = JOBS.get(name);
        if (job == null) {
            throw new ConfigException("<job>", name, String.join(", ", JOBS.keySet()));
        }
        return job;
    }

    public static List<Job<?>> all() {
        return List.copyOf(JOBS.values());
    }
}
