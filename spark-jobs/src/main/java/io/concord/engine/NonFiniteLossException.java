package io.concord.engine;

/** Training diverged: the round's loss is NaN or infinite. */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(int round, double loss) {
        super("loss became " + loss + " in round " + round + "; lower the learning rate or check the data");
    }
}
