package io.concord.engine.metrics;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console while a progress bar is shown on a terminal: the bar lives on the last line (redrawn in place with
 * {@code \r}), and anything else printed through this stream first erases it, so messages never run into the bar;
 * the bar comes back at its next redraw.
 */
final class BarConsole extends PrintStream {

    private final PrintStream target;
    private int shown;

    BarConsole(PrintStream target) {
        super(target, true, StandardCharsets.UTF_8);
        this.target = target;
    }

    @Override
    public void write(int b) {
        synchronized (this) {
            erase();
            super.write(b);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        synchronized (this) {
            erase();
            super.write(buf, off, len);
        }
    }

    /** Draws (or redraws) the bar in place. */
    synchronized void drawBar(String line) {
        int pad = Math.max(0, shown - line.length());
        target.print("\r" + line + " ".repeat(pad));
        target.flush();
        shown = line.length();
    }

    /** Leaves the bar as it is and moves to a fresh line (the bar's final state stays visible, once). */
    synchronized void endBar() {
        if (shown > 0) {
            target.println();
            target.flush();
            shown = 0;
        }
    }

    /** Erases the bar (if shown); it comes back at its next redraw. */
    synchronized void eraseBar() {
        erase();
    }

    private void erase() {
        if (shown > 0) {
            target.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
    }
}
