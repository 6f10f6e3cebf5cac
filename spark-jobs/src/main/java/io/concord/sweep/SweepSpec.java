package io.concord.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.config.ConfigException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep read from YAML:
 * <pre>
 * job: logreg
 * name: lr-sync                 # the sweep's name: run ids and the results folder start with it
 * output: hdfs:///ml/runs       # any Hadoop URI (default ./runs)
 * config: my.yaml               # optional base config (path, Hadoop URI or preset:name)
 * set: {train.rounds: 30}       # fixed keys, for every point
 * grid: {optimizer.lr: [0.05, 0.2], train.sync: [global-batch, parameter-averaging]}
 * random:                       # optional: samples per grid point, drawn from a seeded stream
 *   samples: 8
 *   seed: 7
 *   space: {optimizer.momentum: {uniform: [0.5, 0.99]}, optimizer.lr: {logUniform: [1e-3, 1]},
 *           train.batchSize: {choice: [32, 64]}, model.hidden: {intUniform: [16, 128]}}
 * metric: accuracy              # a key of summary.json's metrics (default: the first one)
 * goal: max                     # or min
 * parallel: 2                   # concurrent runs
 * submit: [scripts/submit, --master, "spark://host:7077"]   # launcher; default: a local JVM per point
 * master: local[2]              # embedded runs only
 * pointMemory: 2g               # embedded runs only: each point JVM's heap
 * </pre>
 */
public record SweepSpec(String job, String name, String output, String config, Map<String, String> fixed,
                        Map<String, List<String>> grid, RandomSpace random, String metric, boolean maximize,
                        int parallel, List<String> submit, String master, String pointMemory) {

    /** Random-search axes: {@code samples} draws per grid point from {@code java.util.SplittableRandom(seed)}. */
    public record RandomSpace(int samples, long seed, Map<String, Distribution> axes) {
        static final RandomSpace NONE = new RandomSpace(1, 0, Map.of());
    }

    /** One random axis: uniform / logUniform / intUniform over [low, high], or choice among values. */
    public record Distribution(String kind, double low, double high, List<String> choices) {
    }

    public List<String> axes() {
        List<String> out = new ArrayList<>(grid.keySet());
        out.addAll(random.axes().keySet());
        return out;
    }

    public static SweepSpec parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, "a sweep spec must be a YAML mapping (job, grid/random, ...)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("job", "name", "output", "config", "set", "grid", "random", "metric", "goal", "parallel",
                    "submit", "master", "pointMemory").contains(key)) {
                throw new ConfigException(key, "is not a sweep key (job, name, output, config, set, grid, random, "
                        + "metric, goal, parallel, submit, master, pointMemory)");
            }
        }
        String job = text(root, "job", null);
        if (job == null) {
            throw new ConfigException("job", "is required");
        }
        String name = text(root, "name", job);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new ConfigException("name", name, "letters, digits, '.', '_' or '-' (at most 64)");
        }
        Map<String, String> fixed = new LinkedHashMap<>();
        root.path("set").fields().forEachRemaining(e -> fixed.put(e.getKey(), scalar(e.getValue(), "set." + e.getKey())));
        Map<String, List<String>> grid = new LinkedHashMap<>();
        root.path("grid").fields().forEachRemaining(e -> {
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new ConfigException("grid." + e.getKey(), "must be a non-empty list of values");
            }
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(scalar(v, "grid." + e.getKey())));
            grid.put(e.getKey(), values);
        });
        RandomSpace random = random(root.path("random"));
        for (String axis : random.axes().keySet()) {
            if (grid.containsKey(axis) || fixed.containsKey(axis)) {
                throw new ConfigException("random.space." + axis, "is also a grid or fixed key");
            }
        }
        for (String axis : grid.keySet()) {
            if (fixed.containsKey(axis)) {
                throw new ConfigException("grid." + axis, "is also a fixed key (set)");
            }
        }
        String goal = text(root, "goal", "max");
        if (!goal.equals("max") && !goal.equals("min")) {
            throw new ConfigException("goal", goal, "max or min");
        }
        int parallel = root.path("parallel").asInt(1);
        if (parallel < 1 || parallel > 256) {
            throw new ConfigException("parallel", root.path("parallel").asText(), "an integer in [1, 256]");
        }
        List<String> submit = new ArrayList<>();
        JsonNode s = root.path("submit");
        if (s.isTextual()) {
            submit.addAll(List.of(s.asText().trim().split("\\s+")));
        } else {
            s.forEach(v -> submit.add(v.asText()));
        }
        return new SweepSpec(job, name, text(root, "output", "runs"), text(root, "config", null), fixed, grid, random,
                text(root, "metric", null), goal.equals("max"), parallel, submit, text(root, "master", null),
                text(root, "pointMemory", "2g"));
    }

    private static RandomSpace random(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return RandomSpace.NONE;
        }
        int samples = node.path("samples").asInt(0);
        if (samples < 1) {
            throw new ConfigException("random.samples", node.path("samples").asText(), "an integer >= 1");
        }
        Map<String, Distribution> axes = new LinkedHashMap<>();
        node.path("space").fields().forEachRemaining(e -> axes.put(e.getKey(),
                distribution(e.getValue(), "random.space." + e.getKey())));
        if (axes.isEmpty()) {
            throw new ConfigException("random.space", "must name at least one key and its distribution");
        }
        return new RandomSpace(samples, node.path("seed").asLong(0), axes);
    }

    private static Distribution distribution(JsonNode node, String key) {
        if (!node.isObject() || node.size() != 1) {
            throw new ConfigException(key, "must be one of {uniform: [a, b]}, {logUniform: [a, b]}, "
                    + "{intUniform: [a, b]}, {choice: [v1, v2, ...]}");
        }
        String kind = node.fieldNames().next();
        JsonNode args = node.get(kind);
        if (kind.equals("choice")) {
            if (!args.isArray() || args.isEmpty()) {
                throw new ConfigException(key + ".choice", "must be a non-empty list");
            }
            List<String> choices = new ArrayList<>();
            args.forEach(v -> choices.add(scalar(v, key + ".choice")));
            return new Distribution(kind, 0, 0, choices);
        }
        if (!List.of("uniform", "logUniform", "intUniform").contains(kind)) {
            throw new ConfigException(key, kind, "uniform, logUniform, intUniform or choice");
        }
        if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()
                || args.get(0).asDouble() > args.get(1).asDouble()) {
            throw new ConfigException(key + "." + kind, args.toString(), "[low, high] with low <= high");
        }
        if (kind.equals("logUniform") && args.get(0).asDouble() <= 0) {
            throw new ConfigException(key + ".logUniform", args.toString(), "positive bounds");
        }
        return new Distribution(kind, args.get(0).asDouble(), args.get(1).asDouble(), List.of());
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? fallback : scalar(n, key);
    }

    private static String scalar(JsonNode n, String key) {
        if (n.isContainerNode()) {
            throw new ConfigException(key, n.toString(), "a scalar value");
        }
        return n.asText();
    }
}
