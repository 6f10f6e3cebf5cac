package io.concord.workload.calib;

import io.concord.data.calib.StereoPair;
import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/** Camera calibration: stereo image pairs with their parameters. */
public final class CalibKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(StereoPair.class.getName(), StereoPair[].class.getName());
    }
}
