package io.concord.data.calib;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;

import java.io.Serializable;

/**
 * Ranges of the synthetic stereo generator (CVGL's, see {@code docs/reference/camera-calibration.md} §5). Angles
 * in degrees, lengths in metres, all ranges uniform and inclusive. Config keys (in messages) are
 * {@code data.generate.<component name>}, ranges with {@code Min}/{@code Max} suffixes and no {@code Deg}.
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

    public StereoRigConfig {
        Checks.positive("data.generate.width", width);
        Checks.positive("data.generate.height", height);
        Checks.minMax("data.generate.fov", fovMinDeg, fovMaxDeg, 1, 170);
        Checks.inRange("data.generate.principalPointJitter", principalPointJitter, 0, 0.25, true, true);
        Checks.minMax("data.generate.tx", txMin, txMax, -5, 5);
        Checks.minMax("data.generate.ty", tyMin, tyMax, -5, 5);
        Checks.minMax("data.generate.tz", tzMin, tzMax, -5, 5);
        Checks.minMax("data.generate.pitch", pitchMinDeg, pitchMaxDeg, -30, 30);
        Checks.minMax("data.generate.leftPitch", leftPitchMinDeg, leftPitchMaxDeg, -30, 30);
        Checks.minMax("data.generate.cameraHeight", cameraHeightMin, cameraHeightMax, 0.3, 20);
        Checks.positive("data.generate.framesPerConfiguration", framesPerConfiguration);
        Checks.positive("data.generate.supersampling", supersampling);
        Checks.nonNegative("data.generate.noiseStd", noiseStd);
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
        return new StereoRigConfig(size, size, 50, 110, 0.0, 0, 0.8, 0.2, 0.7, 0, 0.5, -10, 10, -1, -1, 1.2, 1.8, 1,
                2, 2.0);
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
