package io.concord.core.optim;

import io.concord.core.param.ParamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@code rows × cols} matrix stored row-major at {@code offset} inside the flat parameter vector (e.g. a
 * {@code LinearClassifier}'s W at offset 0 with rows = classes, cols = dimension). Fira and FRUGAL project these; every
 * other coordinate is a "regular" parameter.
 */
public record MatrixBlock(int offset, int rows, int cols) implements Serializable {

    public MatrixBlock {
        if (offset < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix block (offset " + offset + ", rows " + rows + ", cols " + cols
                    + ") needs offset >= 0 and rows, cols > 0");
        }
    }

    public int size() {
        return rows * cols;
    }

    /** Checks that the blocks are disjoint and inside {@code numParams}; {@code key} names the config entry. */
    static void validate(String key, List<MatrixBlock> blocks, int numParams) {
        List<MatrixBlock> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingInt(MatrixBlock::offset));
        int end = 0;
        for (MatrixBlock b : sorted) {
            if (b.offset() < end) {
                throw new ParamException(key, "matrix block at offset " + b.offset()
                        + " overlaps the previous one (which ends at " + end + ")");
            }
            end = b.offset() + b.size();
            if (end > numParams) {
                throw new ParamException(key, "matrix block at offset " + b.offset() + " of " + b.rows()
                        + "×" + b.cols() + " ends at " + end + ", beyond the " + numParams + " parameters");
            }
        }
    }

    /** Indices of the coordinates outside every block, ascending. */
    static int[] regularIndices(List<MatrixBlock> blocks, int numParams) {
        boolean[] covered = new boolean[numParams];
        int count = numParams;
        for (MatrixBlock b : blocks) {
            for (int i = b.offset(); i < b.offset() + b.size(); i++) {
                covered[i] = true;
                count--;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < numParams; i++) {
            if (!covered[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
