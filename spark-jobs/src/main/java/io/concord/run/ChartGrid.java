package io.concord.run;

import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Several XChart panels drawn side by side (row-major, {@code columns} wide) into one PNG. */
public final class ChartGrid {

    public static final int PANEL_WIDTH = 520;
    public static final int PANEL_HEIGHT = 360;

    private ChartGrid() {
    }

    public static BufferedImage render(List<XYChart> panels, int columns) {
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage image = new BufferedImage(cols * PANEL_WIDTH, Math.max(1, rows) * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create((i % cols) * PANEL_WIDTH, (i / cols) * PANEL_HEIGHT,
                    PANEL_WIDTH, PANEL_HEIGHT);
            panels.get(i).paint(cell, PANEL_WIDTH, PANEL_HEIGHT);
            cell.dispose();
        }
        g.dispose();
        return image;
    }

    public static void write(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer");
        }
    }
}
