package io.concord.engine;

/** Thrown by a task chosen through {@code train.injectFault}; only its first attempt fails. */
public final class InjectedFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InjectedFaultException(int round, int partition, String phase) {
        super("injected fault in " + phase + " of round " + round + ", partition " + partition + " (first attempt)");
    }
}
