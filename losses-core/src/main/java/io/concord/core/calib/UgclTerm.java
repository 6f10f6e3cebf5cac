package io.concord.core.calib;

/** The terms of the calibration loss, each with its own weight in {@link UgclLossConfig}. */
public enum UgclTerm {
    /** Penalty on the normalized parameter errors, per head. */
    SUPERVISED,
    /** Vanishing points of the world forward and up axes: columns 0 and 2 of P. */
    VANISHING_POINTS,
    /** Image of the world origin (the left camera centre): column 3 of P. */
    WORLD_ORIGIN,
    /** The two axis planes (Hartley and Zisserman §6.2.1): rows 0 and 1 of P. */
    AXIS_PLANES,
    /** Orthonormality of the rotation built from the predicted pitch. */
    ROTATION
}
