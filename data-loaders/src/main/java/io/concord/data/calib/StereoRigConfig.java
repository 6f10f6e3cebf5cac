package io.concord.data.calib;

import io.concord.core.param.Checks;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;

import java.io.Serializable;

/**
 * Ranges of the synthetic stereo generator (CVGL's, see {@code docs/reference/camera-calibration.md} §5). Angles
 * in degrees, lengths in metres, all ranges uniform and inclusive. Config keys (in messages) are
 * {@code data.generate.<component name>}, ranges with {@code Min}/{@code Max} suffixes and no {@code Deg}: the
 * declarations {@link #PARAMS}, whose defaults are CVGL's ranges ({@link #cvgl}) and the calib job's image size.
 *
 * @param width                  image width in pixels
 * @param height                 image height in pixels
 * @param fovMinDeg              horizontal field of view range (CVGL: 50–110°); f_x = f_y = (W/2)/tan(fov/2)
 * @param fovMaxDeg              "
 * @param principalPointJitter   principal point offset from the image centre, as a fraction of the image size (CVGL:
 *                               0, the centre)
 * @param txMin                  right camera centre forward of the left one (CVGL: 0–0.8 m)
 * @param txMax                  "
 * @param tyMin                  right camera centre to the right of the left one (CVGL: 0.2–0.7 m)
 * @param tyMax                  "
 * @param tzMin                  right camera centre above the left one (CVGL: 0–0.5 m)
 * @param tzMax                  "
 * @param pitchMinDeg            θ = right pitch − left pitch, nose up positive. Default ±10°, which makes the median
 *                               predictor's MAE 0.087 rad, the plateau of the reference logs (0.0877)
 * @param pitchMaxDeg            "
 * @param leftPitchMinDeg        pitch of the left camera against the ground (CVGL: −1°)
 * @param leftPitchMaxDeg        "
 * @param cameraHeightMin        height of the left camera centre above the ground
 * @param cameraHeightMax        "
 * @param framesPerConfiguration consecutive indices sharing one camera configuration (different scenes)
 * @param supersampling          rays per pixel side (2 → 4 rays per pixel) against texture aliasing
 * @param noiseStd               Gaussian pixel noise, in 8-bit grey levels
 */
public record StereoRigConfig(int width, int height, double fovMinDeg, double fovMaxDeg, double principalPointJitter,
                              double txMin, double txMax, double tyMin, double tyMax, double tzMin, double tzMax,
                              double pitchMinDeg, double pitchMaxDeg, double leftPitchMinDeg, double leftPitchMaxDeg,
                              double cameraHeightMin, double cameraHeightMax, int framesPerConfiguration,
                              int supersampling, double noiseStd) implements Serializable {

    /**
     * The generator keys of {@code data.generate} (the calib job reads its config through them; docs/calibration.md's
     * table is generated from them), by config key.
     */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("width", 64, Rule.atLeast(1), "image width in pixels"),
            Param.optionalInteger("height", "= width", Rule.atLeast(1), "image height in pixels"),
            Param.real("fovMin", 50, closed(1, 170), "horizontal field of view, degrees, lower end; "
                    + "f_x = f_y = (W/2)/tan(fov/2)"),
            Param.real("fovMax", 110, closed(1, 170), "upper end of the field of view (>= fovMin)"),
            Param.real("principalPointJitter", 0.0, closed(0, 0.25),
                    "principal point offset from the image centre, as a fraction of the image size"),
            Param.real("txMin", 0, closed(-5, 5), "right camera centre forward of the left one, metres, lower end"),
            Param.real("txMax", 0.8, closed(-5, 5), "upper end (>= txMin)"),
            Param.real("tyMin", 0.2, closed(-5, 5), "right camera centre to the right of the left one, metres, "
                    + "lower end"),
            Param.real("tyMax", 0.7, closed(-5, 5), "upper end (>= tyMin)"),
            Param.real("tzMin", 0, closed(-5, 5), "right camera centre above the left one, metres, lower end"),
            Param.real("tzMax", 0.5, closed(-5, 5), "upper end (>= tzMin)"),
            Param.real("pitchMin", -10, closed(-30, 30), "θ = right pitch − left pitch, degrees, nose up positive, "
                    + "lower end"),
            Param.real("pitchMax", 10, closed(-30, 30), "upper end (>= pitchMin); the horizon must stay in view"),
            Param.real("leftPitchMin", -1, closed(-30, 30), "pitch of the left camera against the ground, degrees, "
                    + "lower end"),
            Param.real("leftPitchMax", -1, closed(-30, 30), "upper end (>= leftPitchMin)"),
            Param.real("cameraHeightMin", 1.2, closed(0.3, 20), "height of the left camera centre above the ground, "
                    + "metres, lower end"),
            Param.real("cameraHeightMax", 1.8, closed(0.3, 20), "upper end (>= cameraHeightMin)"),
            Param.integer("framesPerConfiguration", 1, Rule.atLeast(1),
                    "consecutive indices sharing one camera configuration (different scenes)"),
            Param.integer("supersampling", 2, Rule.atLeast(1), "rays per pixel side (2 → 4 rays per pixel)"),
            Param.real("noiseStd", 2.0, Rule.NON_NEGATIVE, "Gaussian pixel noise, in 8-bit grey levels"));

    /** Key prefix of this record's messages. */
    private static final String SECTION = "data.generate";

    public StereoRigConfig {
        PARAMS.integer(SECTION, "width", width);
        PARAMS.integer(SECTION, "height", height);
        range("fov", fovMinDeg, fovMaxDeg);
        PARAMS.real(SECTION, "principalPointJitter", principalPointJitter);
        range("tx", txMin, txMax);
        range("ty", tyMin, tyMax);
        range("tz", tzMin, tzMax);
        range("pitch", pitchMinDeg, pitchMaxDeg);
        range("leftPitch", leftPitchMinDeg, leftPitchMaxDeg);
        range("cameraHeight", cameraHeightMin, cameraHeightMax);
        PARAMS.integer(SECTION, "framesPerConfiguration", framesPerConfiguration);
        PARAMS.integer(SECTION, "supersampling", supersampling);
        PARAMS.real(SECTION, "noiseStd", noiseStd);
        double halfVerticalFov = Math.toDegrees(Math.atan(Math.tan(Math.toRadians(fovMinDeg / 2)) * height / width));
        double steepest = Math.max(Math.max(Math.abs(pitchMinDeg + leftPitchMinDeg),
                Math.abs(pitchMaxDeg + leftPitchMaxDeg)), Math.max(Math.abs(leftPitchMinDeg),
                Math.abs(leftPitchMaxDeg)));
        if (steepest >= halfVerticalFov) {
            // The horizon is what makes pitch and focal length observable: keep it in both views.
            throw new ParamException("data.generate.pitchMax", "a camera pitch of " + steepest + "° puts the "
                    + "horizon out of view at the narrowest field of view (half vertical fov " + halfVerticalFov + "°)");
        }
    }

    /**
     * CVGL's ranges at {@code size × size} pixels: fov 50–110°, principal point at the centre, t as in the reference
     * doc, θ ∈ ±10° (left pitch −1°). Not CVGL labels, so chosen here: the left camera 1.2–1.8 m above the ground (a
     * car-mounted height; CVGL's "Z = 0.2" is relative to the CARLA vehicle origin), 2×2 supersampling, noise σ = 2
     * grey levels.
     */
    public static StereoRigConfig cvgl(int size) {
        return new StereoRigConfig(size, size, byDefault("fovMin"), byDefault("fovMax"),
                byDefault("principalPointJitter"), byDefault("txMin"), byDefault("txMax"), byDefault("tyMin"),
                byDefault("tyMax"), byDefault("tzMin"), byDefault("tzMax"), byDefault("pitchMin"),
                byDefault("pitchMax"), byDefault("leftPitchMin"), byDefault("leftPitchMax"),
                byDefault("cameraHeightMin"), byDefault("cameraHeightMax"),
                PARAMS.integer(SECTION, "framesPerConfiguration", null), PARAMS.integer(SECTION, "supersampling", null),
                byDefault("noiseStd"));
    }

    /** A range given as two keys, {@code <key>Min} and {@code <key>Max}: each as declared, and min <= max. */
    private static void range(String key, double min, double max) {
        PARAMS.real(SECTION, key + "Min", min);
        PARAMS.real(SECTION, key + "Max", max);
        if (min > max) {
            throw Checks.notAllowed(SECTION + "." + key + "Min", min, "<= " + SECTION + "." + key + "Max (" + max
                    + ")");
        }
    }

    private static double byDefault(String name) {
        return PARAMS.real(SECTION, name, null);
    }

    /** A closed interval (the rule text of the ranges: {@code in [1.0, 170.0]}). */
    private static Rule closed(double lo, double hi) {
        return Rule.in(lo, hi, true, true);
    }

    public StereoRigConfig withPrincipalPointJitter(double jitter) {
        return new StereoRigConfig(width, height, fovMinDeg, fovMaxDeg, jitter, txMin, txMax, tyMin, tyMax, tzMin,
                tzMax, pitchMinDeg, pitchMaxDeg, leftPitchMinDeg, leftPitchMaxDeg, cameraHeightMin, cameraHeightMax,
                framesPerConfiguration, supersampling, noiseStd);
    }

    public StereoRigConfig withFramesPerConfiguration(int frames) {
        return new StereoRigConfig(width, height, fovMinDeg, fovMaxDeg, principalPointJitter, txMin, txMax, tyMin,
                tyMax, tzMin, tzMax, pitchMinDeg, pitchMaxDeg, leftPitchMinDeg, leftPitchMaxDeg, cameraHeightMin,
                cameraHeightMax, frames, supersampling, noiseStd);
    }

    public StereoRigConfig withNoise(double std) {
        return new StereoRigConfig(width, height, fovMinDeg, fovMaxDeg, principalPointJitter, txMin, txMax, tyMin,
                tyMax, tzMin, tzMax, pitchMinDeg, pitchMaxDeg, leftPitchMinDeg, leftPitchMaxDeg, cameraHeightMin,
                cameraHeightMax, framesPerConfiguration, supersampling, std);
    }
}
