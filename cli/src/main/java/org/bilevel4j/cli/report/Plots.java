package org.bilevel4j.cli.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The pictures of a report: objective curves (XChart) and sparsity patterns of matrices. */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Curves with more points than this are thinned to about this many (first and last kept). */
    public static final int MAX_POINTS = 4000;

    /** The longest side of a sparsity picture, in pixels (about). */
    static final int MAX_SIDE = 960;

    /** The shortest side of a sparsity picture, in pixels: thin matrices get wider blocks. */
    static final int MIN_SIDE = 120;

    /** The most cells along one side; beyond it, entries are pooled into bins of several entries. */
    static final int MAX_CELLS = 1200;

    private Plots() {
    }

    /**
     * One curve.
     *
     * @param name the legend entry
     * @param x abscissae (for example iterations)
     * @param y values; non-finite values are left out, and on a log axis so are values <= 0
     * @param dashed whether to draw it dashed
     */
    public record Series(String name, double[] x, double[] y, boolean dashed) {
        /** Checks that x and y have the same length. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values, " + y.length
                        + " y values");
            }
        }
    }

    /**
     * A line chart of the series, with a log-scale y axis when every plotted value is positive
     * (otherwise linear).
     */
    public static XYChart lineChart(String title, String xTitle, String yTitle, List<Series> series) {
        boolean log = series.stream().flatMapToDouble(s -> Arrays.stream(s.y()))
                .filter(Double::isFinite).allMatch(v -> v > 0);
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle + (log ? " (log scale)" : "")).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setYAxisDecimalPattern("0.###E0");
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setXAxisMin(0.0);
        for (Series s : series) {
            double[][] xy = thin(s.x(), s.y(), log);
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries xs = chart.addSeries(s.name(), xy[0], xy[1]);
            xs.setMarker(SeriesMarkers.NONE);
            xs.setLineStyle(s.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        }
        return chart;
    }

    /** Writes a chart as PNG. */
    public static void writePng(XYChart chart, OutputStream out) throws IOException {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Writes an image as PNG. */
    public static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }

    /** Keeps finite (and, for a log axis, positive) points, at most about MAX_POINTS of them. */
    public static double[][] thin(double[] x, double[] y, boolean log) {
        int n = x.length;
        int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        double[] xs = new double[n];
        double[] ys = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) {
                continue;
            }
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (log && y[i] <= 0)) {
                continue;
            }
            xs[k] = x[i];
            ys[k] = y[i];
            k++;
        }
        return new double[][] {Arrays.copyOf(xs, k), Arrays.copyOf(ys, k)};
    }

    /**
     * How a sparsity picture maps entries to pixels.
     *
     * @param rowsPerCell matrix rows pooled into one cell (1 unless the matrix is very tall)
     * @param colsPerCell matrix columns pooled into one cell
     * @param cellHeight pixels per cell, vertically
     * @param cellWidth pixels per cell, horizontally
     * @param width picture width in pixels
     * @param height picture height in pixels
     */
    public record Layout(int rowsPerCell, int colsPerCell, int cellHeight, int cellWidth, int width, int height) {
    }

    /** @return the layout of the sparsity picture of a rows x cols matrix */
    public static Layout layout(int rows, int cols) {
        int binR = ceilDiv(rows, MAX_CELLS);
        int binC = ceilDiv(cols, MAX_CELLS);
        int nr = ceilDiv(rows, binR);
        int nc = ceilDiv(cols, binC);
        int cell = Math.max(1, Math.min(24, MAX_SIDE / Math.max(nr, nc)));
        int ch = cell;
        int cw = cell;
        if (nr * ch < MIN_SIDE) {
            ch = ceilDiv(MIN_SIDE, nr);
        }
        if (nc * cw < MIN_SIDE) {
            cw = ceilDiv(MIN_SIDE, nc);
        }
        return new Layout(binR, binC, ch, cw, nc * cw, nr * ch);
    }

    /**
     * The sparsity pattern of a matrix: entries with {@code |a_ij| > tol} dark, the others white,
     * each entry a block of pixels. A matrix with more than {@value #MAX_CELLS} rows (or columns)
     * pools neighbouring rows (columns) into one cell whose gray level is the fraction of nonzeros
     * in it (black: all nonzero). Light grid lines separate cells that are at least 6 pixels
     * high (between rows) or wide (between columns).
     *
     * @param a the matrix (not modified)
     * @param tol entries with magnitude at most this count as zero
     */
    public static BufferedImage sparsityPattern(DMatrixRMaj a, double tol) {
        if (a.numRows < 1 || a.numCols < 1) {
            throw new IllegalArgumentException("cannot draw an empty matrix (" + a.numRows + "x" + a.numCols + ")");
        }
        Layout l = layout(a.numRows, a.numCols);
        int nr = l.height() / l.cellHeight();
        int nc = l.width() / l.cellWidth();
        int[] nonzeros = new int[nr * nc];
        int[] counts = new int[nr * nc];
        for (int i = 0; i < a.numRows; i++) {
            int ci = i / l.rowsPerCell();
            for (int j = 0; j < a.numCols; j++) {
                int c = ci * nc + j / l.colsPerCell();
                counts[c]++;
                if (Math.abs(a.data[i * a.numCols + j]) > tol) {
                    nonzeros[c]++;
                }
            }
        }
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        boolean rowLines = l.cellHeight() >= 6;
        boolean colLines = l.cellWidth() >= 6;
        int gridRgb = 0xd0d0d0;
        for (int ci = 0; ci < nr; ci++) {
            for (int cj = 0; cj < nc; cj++) {
                int c = ci * nc + cj;
                double fraction = counts[c] == 0 ? 0 : (double) nonzeros[c] / counts[c];
                int g = (int) Math.round(255 * (1 - fraction));
                int rgb = g << 16 | g << 8 | g;
                for (int py = 0; py < l.cellHeight(); py++) {
                    for (int px = 0; px < l.cellWidth(); px++) {
                        boolean line = (rowLines && py == l.cellHeight() - 1) || (colLines && px == l.cellWidth() - 1);
                        img.setRGB(cj * l.cellWidth() + px, ci * l.cellHeight() + py, line ? gridRgb : rgb);
                    }
                }
            }
        }
        return img;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
