package io.concord.workload.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.calib.UgclLossFunction;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * The calibration network of a run: the CNN ({@link CalibNetwork}) whose output layer is trained by the UGCL loss
 * ({@link UgclLossFunction}), labels normalized by a {@link ParamScaling} fitted to the training labels, as a Concord
 * model through the DL4J bridge.
 *
 * @param net     network shape
 * @param loss    loss weights
 * @param scaling physical ↔ normalized parameters
 * @param model   the Concord model
 */
record CalibModel(CalibNetConfig net, UgclLossConfig loss, ParamScaling scaling, Dl4jNetworkModel<StereoPair> model) {

    static CalibModel of(CalibNetConfig net, UgclLossConfig loss, ParamScaling scaling) {
        return new CalibModel(net, loss, scaling, Dl4jNetworkModel.of(configuration(net, loss, scaling),
                StereoPairBatches.converter(net.fusion(), scaling)));
    }

    /** The DL4J graph configuration (also what DL4J's own training master trains in the comparison). */
    static ComputationGraphConfiguration configuration(CalibNetConfig net, UgclLossConfig loss,
                                                       ParamScaling scaling) {
        return CalibNetwork.configuration(net, new UgclLossFunction(loss, scaling));
    }

    ComputationGraphConfiguration configuration() {
        return configuration(net, loss, scaling);
    }
}
