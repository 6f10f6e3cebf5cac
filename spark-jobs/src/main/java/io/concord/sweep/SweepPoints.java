package io.concord.sweep;

import io.concord.sweep.SweepSpec.Distribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The points of a sweep: the grid's cartesian product (first key varies slowest), each combined with
 * {@code random.samples} draws of the random axes. Draws come from one {@link SplittableRandom} seeded by
 * {@code random.seed}, in point order, so a spec always gives the same points.
 */
public final class SweepPoints {

    private SweepPoints() {
    }

    public static List<Map<String, String>> of(SweepSpec spec) {
        List<Map<String, String>> grid = new ArrayList<>();
        grid.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : spec.grid().entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : grid) {
                for (String v : axis.getValue()) {
                    Map<String, String> p = new LinkedHashMap<>(partial);
                    p.put(axis.getKey(), v);
                    next.add(p);
                }
            }
            grid = next;
        }
        SplittableRandom rng = new SplittableRandom(spec.random().seed());
        List<Map<String, String>> points = new ArrayList<>();
        for (Map<String, String> g : grid) {
            for (int s = 0; s < spec.random().samples(); s++) {
                Map<String, String> p = new LinkedHashMap<>(g);
                spec.random().axes().forEach((key, d) -> p.put(key, draw(d, rng)));
                points.add(p);
            }
        }
        return points;
    }

    static String draw(Distribution d, SplittableRandom rng) {
        return switch (d.kind()) {
            case "choice" -> d.choices().get(rng.nextInt(d.choices().size()));
            case "intUniform" -> Long.toString((long) d.low() + rng.nextLong((long) d.high() - (long) d.low() + 1));
            case "logUniform" -> number(Math.exp(Math.log(d.low())
                    + rng.nextDouble() * (Math.log(d.high()) - Math.log(d.low()))));
            default -> number(d.low() + rng.nextDouble() * (d.high() - d.low()));
        };
    }

    /** Six significant digits: short run ids and config values that read back as the same number. */
    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceFirst("\\.$", "");
    }
}
