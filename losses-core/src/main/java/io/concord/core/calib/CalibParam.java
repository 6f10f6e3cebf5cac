package io.concord.core.calib;

import java.util.Arrays;

/**
 * The ten regressed camera parameters of one stereo pair, in the order of the network's output heads and of every
 * label vector in this package (CVGL order: f_x, f_y, p_x, p_y, b, d, t_x, t_y, t_z, θ).
 *
 * <p>Physical units: focal lengths, principal point and disparity in pixels of the image the network sees; baseline
 * and translation in metres; pitch in radians. See {@code package-info} for the frame in which t and θ are defined.
 */
public enum CalibParam {
    FX("fx", "px"),
    FY("fy", "px"),
    PX("px", "px"),
    PY("py", "px"),
    BASELINE("b", "m"),
    DISPARITY("d", "px"),
    TX("tx", "m"),
    TY("ty", "m"),
    TZ("tz", "m"),
    PITCH("theta", "rad");

    /** Number of parameters (network heads). */
    public static final int COUNT = 10;

    private final String key;
    private final String unit;

    CalibParam(String key, String unit) {
        this.key = key;
        this.unit = unit;
    }

    /** Short name used in configs, tables and error messages. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public int index() {
        return ordinal();
    }

    /** The parameter whose {@link #key()} is {@code key}. */
    public static CalibParam ofKey(String key) {
        for (CalibParam p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown camera parameter '" + key + "'; expected one of "
                + Arrays.stream(values()).map(CalibParam::key).toList());
    }
}
