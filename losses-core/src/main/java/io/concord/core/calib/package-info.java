/**
 * Image-pair camera calibration (UGCL, Waleed, Rauf, Taj 2024): the ten-parameter label, the supervised + geometric
 * constraint loss, the DL4J network and its loss function, and the evaluation baselines.
 *
 * <h2>Frames and parameters</h2>
 * The labels describe the <em>right</em> camera of a stereo pair relative to the <em>left</em> one, as CVGL does
 * ("right minus left"). The world frame of every projection matrix in this package is the left camera's rig frame:
 * origin at the left camera centre, x forward along the left optical axis, y to the left, z up (right-handed).
 * <ul>
 *   <li>{@code t = (t_x, t_y, t_z)}: the right camera centre in that frame as (forward, <em>right</em>, up) offsets in
 *       metres, so the centre is {@code C = (t_x, −t_y, t_z)}. CVGL's ranges (t_y ∈ [0.2, 0.7] m to the right) then
 *       mean what they say.</li>
 *   <li>{@code θ}: right pitch minus left pitch, radians, positive = nose up (CARLA's sign). No yaw, no roll.</li>
 *   <li>{@code K = [[f_x, 0, p_x], [0, f_y, p_y], [0, 0, 1]]}, image x to the right, y down.</li>
 *   <li>{@code R}: world → right camera (x right, y down, z forward) with rows {@code (0, −1, 0)},
 *       {@code (sin θ, 0, −cos θ)}, {@code (cos θ, 0, sin θ)}; {@code det R = +1}.</li>
 *   <li>{@code P = K [R | −R C]}, so {@code P·(X, 1)ᵀ} is the right image of a point X given in the left rig frame.</li>
 *   <li>{@code b = |t|}; {@code d} is the mean horizontal disparity {@code u_left − u_right} in pixels (a label, not a
 *       function of P).</li>
 * </ul>
 *
 * <h2>Differences from the public reference (CVLABLUMS/CVGL-Camera-Calibration, commit cd6f99b)</h2>
 * <ul>
 *   <li>No {@code +1} is added to the elements of P: the reference's {@code P = K[R|t] + 1} is not a projection
 *       matrix.</li>
 *   <li>The image of the world origin uses rows 0 and 1 of P's last column; the reference uses row 1 twice.</li>
 *   <li>The reference puts the raw offsets t in P's last column and mixes an x-forward (3D-point branch) with a
 *       z-forward (P branch) convention and uses {@code R_y(θ)} — a yaw for a z-forward camera — as "pitch". Here one
 *       frame is used throughout and the translation column is {@code −R·C}.</li>
 *   <li>Vanishing points, the world origin and the axis planes are compared as oriented homogeneous vectors (unit
 *       vectors after conditioning by the image size) instead of dehomogenised ratios with a {@code 2e-5} guard: the
 *       vertical vanishing point lies at infinity for θ = 0 and the world origin for t_x ≈ 0, where ratios blow up.</li>
 *   <li>The constraint targets come from the labels, as in the reference, but there are no learned sigmoid gates that
 *       let the network scale a constraint away.</li>
 * </ul>
 */
package io.concord.core.calib;
