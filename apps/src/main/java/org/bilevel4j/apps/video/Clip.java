package org.bilevel4j.apps.video;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A grayscale clip as a pixels x frames matrix with values in [0, 1], one frame per column.
 *
 * <p>Pixel order within a column is <b>row-major</b>: pixel (row y, column x) of frame t is entry
 * {@code (y * width + x, t)}. Readers of column-major sources (MATLAB's {@code M(:, t) = frame(:)},
 * where pixel (y, x) sits at {@code y + height * x}) reorder to this layout, so a column reshapes to
 * a frame the same way whatever the file was.
 *
 * @param name a short name for tables and reports (the file name)
 * @param data pixels x frames, {@code height * width} rows (not copied; do not modify)
 * @param height frame height in pixels
 * @param width frame width in pixels
 */
public record Clip(String name, DMatrixRMaj data, int height, int width) {

    /**
     * Validates the shape.
     *
     * @param name a short name for tables and reports (the file name)
     * @param data pixels x frames, {@code height * width} rows (not copied; do not modify)
     * @param height frame height in pixels
     * @param width frame width in pixels
     */
    public Clip {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("frame size must be positive, got " + height + "x" + width);
        }
        if ((long) height * width != data.numRows) {
            throw new IllegalArgumentException("data has " + data.numRows + " rows, frames have " + height + "x"
                    + width + " = " + (long) height * width + " pixels");
        }
        if (data.numCols < 1) {
            throw new IllegalArgumentException("a clip needs at least one frame");
        }
    }

    /** @return the number of frames (columns) */
    public int frames() {
        return data.numCols;
    }

    /** @return the number of pixels per frame (rows) */
    public int pixels() {
        return data.numRows;
    }

    /**
     * @param t the frame index, from 0
     * @return frame t as a height x width matrix (a copy)
     */
    public DMatrixRMaj frame(int t) {
        return frameOf(data, t, height, width);
    }

    /**
     * @param matrix the pixels x frames matrix, not modified
     * @param t the frame index, from 0
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @return column t of a pixels x frames matrix as a height x width matrix (a copy)
     */
    public static DMatrixRMaj frameOf(DMatrixRMaj matrix, int t, int height, int width) {
        DMatrixRMaj f = new DMatrixRMaj(height, width);
        int cols = matrix.numCols;
        for (int p = 0; p < height * width; p++) {
            f.data[p] = matrix.data[p * cols + t];
        }
        return f;
    }

    /**
     * Builds a clip from frames given as unsigned bytes, row-major within a frame.
     *
     * @param frames frames[t][y * width + x], 0..255
     * @param name the name
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @return the clip
     */
    public static Clip fromBytes(String name, byte[][] frames, int height, int width) {
        int p = height * width;
        DMatrixRMaj d = new DMatrixRMaj(p, frames.length);
        int n = frames.length;
        for (int t = 0; t < n; t++) {
            byte[] f = frames[t];
            for (int i = 0; i < p; i++) {
                d.data[i * n + t] = (f[i] & 0xFF) / 255.0;
            }
        }
        return new Clip(name, d, height, width);
    }
}
