package io.concord.core.model.dl4j;

import io.concord.core.model.LabeledVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Converts {@link LabeledVector} batches into DL4J datasets with one-hot labels. */
public final class LabeledVectorBatches {

    private LabeledVectorBatches() {
    }

    public static Dl4jNetworkModel.BatchConverter<LabeledVector> oneHot(int numClasses) {
        return batch -> toDataSet(batch, numClasses).toMultiDataSet();
    }

    public static DataSet toDataSet(List<LabeledVector> batch, int numClasses) {
        int n = batch.size();
        int d = batch.get(0).dimension();
        INDArray features = Nd4j.create(DataType.FLOAT, n, d);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, numClasses);
        for (int i = 0; i < n; i++) {
            LabeledVector v = batch.get(i);
            features.putRow(i, Nd4j.createFromArray(v.features()));
            labels.putScalar(i, v.label(), 1.0f);
        }
        return new DataSet(features, labels);
    }
}
