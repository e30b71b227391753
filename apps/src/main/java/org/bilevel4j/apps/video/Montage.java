package org.bilevel4j.apps.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;

/**
 * Grayscale montages of frames: rows of tiles, each tile one frame (a column of a
 * pixels x frames matrix), enlarged by an integer zoom so that small clips stay visible, with a
 * 2-pixel white gap between tiles. Values are mapped to gray levels by {@code v / scale}, clipped
 * to [0, 1].
 */
public final class Montage {

    private static final int GAP = 2;

    private Montage() {
    }

    /**
     * One row of a montage.
     *
     * @param frames pixels x c matrix, one tile per column
     * @param scale the value shown white
     */
    public record Row(DMatrixRMaj frames, double scale) {
    }

    /**
     * @param width the frame width in pixels
     * @return the zoom that makes a frame at least 96 pixels wide (1 for wide frames), at most 8
     */
    public static int zoomFor(int width) {
        return Math.max(1, Math.min(8, 96 / Math.max(1, width)));
    }

    /**
     * Draws the rows, each frame height x width, enlarged by zoom.
     *
     * @param rows the number of rows
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @param zoom the enlargement factor
     * @return the image
     */
    public static BufferedImage draw(List<Row> rows, int height, int width, int zoom) {
        int cols = 0;
        for (Row r : rows) {
            cols = Math.max(cols, r.frames().numCols);
        }
        int th = height * zoom;
        int tw = width * zoom;
        int w = cols * tw + (cols + 1) * GAP;
        int h = rows.size() * th + (rows.size() + 1) * GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, 255);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            DMatrixRMaj f = row.frames();
            int n = f.numCols;
            double inv = row.scale() > 0 ? 1 / row.scale() : 0;
            for (int c = 0; c < n; c++) {
                int x0 = GAP + c * (tw + GAP);
                int y0 = GAP + r * (th + GAP);
                for (int py = 0; py < height; py++) {
                    for (int px = 0; px < width; px++) {
                        double v = f.data[(py * width + px) * n + c] * inv;
                        int g = (int) Math.round(255 * Math.min(1, Math.max(0, v)));
                        for (int zy = 0; zy < zoom; zy++) {
                            for (int zx = 0; zx < zoom; zx++) {
                                raster.setSample(x0 + px * zoom + zx, y0 + py * zoom + zy, 0, g);
                            }
                        }
                    }
                }
            }
        }
        return img;
    }

    /**
     * @param m the matrix, not modified
     * @param cols the number of columns
     * @param abs whether to take absolute values
     * @return the columns {@code cols} of m as a pixels x cols.length matrix; absolute values when abs
     */
    public static DMatrixRMaj columns(DMatrixRMaj m, int[] cols, boolean abs) {
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, cols.length);
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < cols.length; j++) {
                double v = m.data[i * m.numCols + cols[j]];
                out.data[i * cols.length + j] = abs ? Math.abs(v) : v;
            }
        }
        return out;
    }

    /**
     * @param frames the number of frames
     * @param count how many indices to pick
     * @return {@code count} frame indices spread evenly over {@code frames} frames
     */
    public static int[] evenlySpaced(int frames, int count) {
        int c = Math.min(count, frames);
        int[] idx = new int[c];
        for (int i = 0; i < c; i++) {
            idx[i] = c == 1 ? 0 : (int) Math.round(i * (frames - 1) / (double) (c - 1));
        }
        return idx;
    }

    /**
     * The picture of what a run separates: the clip's frames, then, when the observation has a
     * reference, the rank-k truncation L0 and the corrupted M_obs, one row each, gray levels as they are.
     *
     * @param clip the clip, pixels x frames
     * @param obs its observation
     * @param shown the frames to show
     * @return the image (frames.png of the video report)
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @param zoom the enlargement factor
     */
    public static BufferedImage observation(DMatrixRMaj clip, Corruption.Observation obs, int[] shown, int height,
            int width, int zoom) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(columns(clip, shown, false), 1.0));
        if (obs.hasReference()) {
            rows.add(new Row(columns(obs.clean(), shown, false), 1.0));
            rows.add(new Row(columns(obs.observed(), shown, false), 1.0));
        }
        return draw(rows, height, width, zoom);
    }

    /**
     * One method's separation: rows M_obs, L and |S|, with |S| scaled so that white is its largest
     * entry over the frames shown.
     *
     * @param observedFrames the frames of M_obs shown
     * @param lowFrames the same frames of L
     * @param sparseFrames the same frames of |S|
     * @return the image (a method's montage in the video report)
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @param zoom the enlargement factor
     */
    public static BufferedImage separation(DMatrixRMaj observedFrames, DMatrixRMaj lowFrames,
            DMatrixRMaj sparseFrames, int height, int width, int zoom) {
        double smax = Math.max(max(sparseFrames), 1e-12);
        return draw(List.of(new Row(observedFrames, 1.0), new Row(lowFrames, 1.0), new Row(sparseFrames, smax)),
                height, width, zoom);
    }

    /**
     * @param m the matrix
     * @return the largest entry of m (0 for an empty or nonpositive matrix)
     */
    public static double max(DMatrixRMaj m) {
        double mx = 0;
        for (double v : m.data) {
            mx = Math.max(mx, v);
        }
        return mx;
    }

    /**
     * Writes the image as PNG.
     *
     * @param img the image
     * @param file the file
     * @throws IOException if the file cannot be written
     */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /**
     * @param img the image
     * @return the image as PNG bytes
     */
    public static byte[] pngBytes(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
