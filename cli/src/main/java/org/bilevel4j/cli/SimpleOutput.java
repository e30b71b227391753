package org.bilevel4j.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.bilevel4j.cli.report.Csv;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Output helpers of the {@code simple} commands: files written through a temporary file in the same
 * folder and moved into place (a reader never sees half a file), PNG grids of XChart charts, CSV and
 * fixed-width text tables.
 */
final class SimpleOutput {

    private SimpleOutput() {
    }

    /** Writes bytes to {@code path} through a temporary file in the same folder. */
    static void writeAtomically(Path path, byte[] bytes) {
        Path dir = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    // createTempFile makes the file private; the result is an ordinary output file
                    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the default permissions
                }
                try {
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes text (UTF-8) atomically. */
    static void writeText(Path path, String text) {
        writeAtomically(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renders charts as one PNG grid ({@code rows x cols}, filled row by row; empty cells stay blank)
     * and writes it atomically.
     */
    static void writePng(Path path, List<XYChart> charts, int rows, int cols) {
        System.setProperty("java.awt.headless", "true");
        if (charts.isEmpty() || charts.size() > rows * cols) {
            throw new IllegalArgumentException(charts.size() + " charts do not fit a " + rows + "x" + cols + " grid");
        }
        List<XYChart> all = new ArrayList<>(charts);
        XYChart first = charts.get(0);
        while (all.size() < rows * cols) {
            all.add(blank(first.getWidth(), first.getHeight()));
        }
        // compose the grid as opaque RGB (XChart's own grid is RGBA: a third larger once compressed)
        int w = 0;
        int h = 0;
        for (XYChart c : all) {
            w = Math.max(w, c.getWidth());
            h = Math.max(h, c.getHeight());
        }
        BufferedImage img = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < all.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(all.get(i)), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + path + ": " + e.getMessage(), e);
        }
        writeAtomically(path, out.toByteArray());
    }

    /** An empty white chart of the given size: no axes, no title, no legend. */
    private static XYChart blank(int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridLinesVisible(false);
        st.setAxisTicksVisible(false);
        st.setChartTitleVisible(false);
        st.setLegendVisible(false);
        st.setXAxisTitleVisible(false);
        st.setYAxisTitleVisible(false);
        XYSeries s = c.addSeries(" ", new double[] {0}, new double[] {0});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.WHITE);
        return c;
    }

    /** A table with a header; rendered as CSV or as aligned text. */
    static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(List<String> header) {
            this.header = List.copyOf(header);
        }

        void add(List<String> row) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
            }
            rows.add(List.copyOf(row));
        }

        String csv() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.join(",", header)).append('\n');
            for (List<String> r : rows) {
                List<String> cells = new ArrayList<>();
                for (String c : r) {
                    cells.add(Csv.field(c));
                }
                sb.append(String.join(",", cells)).append('\n');
            }
            return sb.toString();
        }

        String text() {
            int[] w = new int[header.size()];
            for (int j = 0; j < w.length; j++) {
                w[j] = header.get(j).length();
                for (List<String> r : rows) {
                    w[j] = Math.max(w[j], r.get(j).length());
                }
            }
            StringBuilder sb = new StringBuilder();
            line(sb, header, w);
            StringBuilder rule = new StringBuilder();
            for (int j = 0; j < w.length; j++) {
                rule.append(j == 0 ? "" : "  ").append("-".repeat(w[j]));
            }
            sb.append(rule).append('\n');
            for (List<String> r : rows) {
                line(sb, r, w);
            }
            return sb.toString();
        }

        /** The table as a GitHub markdown table. */
        String markdown() {
            StringBuilder sb = new StringBuilder();
            sb.append("| ").append(String.join(" | ", escaped(header))).append(" |\n|");
            for (int j = 0; j < header.size(); j++) {
                sb.append("---|");
            }
            sb.append('\n');
            for (List<String> r : rows) {
                sb.append("| ").append(String.join(" | ", escaped(r))).append(" |\n");
            }
            return sb.toString();
        }

        /** Cells with markdown's cell separator escaped ({@code ||grad g||} would split a cell). */
        private static List<String> escaped(List<String> cells) {
            return cells.stream().map(c -> c.replace("|", "\\|")).toList();
        }

        private static void line(StringBuilder sb, List<String> cells, int[] w) {
            for (int j = 0; j < cells.size(); j++) {
                String c = cells.get(j);
                if (j > 0) {
                    sb.append("  ");
                }
                sb.append(c).append(" ".repeat(w[j] - c.length()));
            }
            int end = sb.length();
            while (end > 0 && sb.charAt(end - 1) == ' ') {
                end--;
            }
            sb.setLength(end);
            sb.append('\n');
        }
    }

    /** A number in 4 significant digits (scientific outside [1e-3, 1e5)). */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Full precision for CSV. */
    static String full(double v) {
        return Double.toString(v);
    }

    /** A hyperparameter value without trailing zeros (0.1, 1, 10, 100). */
    static String hyper(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
