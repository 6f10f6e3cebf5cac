package io.concord.job;

import io.concord.jobs.als.AlsJob;
import io.concord.jobs.calib.CalibJob;
import io.concord.jobs.logreg.LogRegJob;
import io.concord.jobs.moe.MoeJob;
import io.concord.jobs.ultragcn.UltraGcnJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every job the CLI knows, by name. */
public final class JobRegistry {

    private static final Map<String, Job<?>> JOBS = new LinkedHashMap<>();

    static {
        register(new LogRegJob());
        register(new MoeJob());
        register(new io.concord.jobs.pref.PrefSftJob());
        register(new io.concord.jobs.pref.PrefSampleJob());
        register(new io.concord.jobs.pref.PrefAlignJob());
        register(new io.concord.jobs.pref.PrefUnlearnJob());
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
            throw new io.concord.config.ConfigException("<job>", name, String.join(", ", JOBS.keySet()));
        }
        return job;
    }

    public static List<Job<?>> all() {
        return List.copyOf(JOBS.values());
    }
}
