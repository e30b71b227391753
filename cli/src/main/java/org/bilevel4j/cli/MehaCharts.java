package org.bilevel4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts of the MEHA commands (toy errors, hyper-cleaning curves) as PNG files through XChart.
 * Package-private: a small helper of {@link MehaCommand}, {@link CleanCommand}; the shared report
 * package of the CLI can take these over at merge.
 */
final class MehaCharts {

    /** One curve; a null color takes the next of the palette. */
    record Curve(String name, double[] x, double[] y, boolean markers, Color color) {

        Curve(String name, double[] x, double[] y, boolean markers) {
            this(name, x, y, markers, null);
        }
    }

    private static final int MAX_POINTS = 1500;
    /** On a logarithmic axis, larger values (a diverging run) are drawn at this value. */
    static final double LOG_CAP = 1e6;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private MehaCharts() {
    }

    /**
     * Writes a line chart. On a logarithmic y axis, points that are not positive and finite are left
     * out (an error of exactly 0 has no place there); long curves are thinned to about 1500 points.
     */
    static void write(Path file, String title, String xTitle, String yTitle, boolean logY, List<Curve> curves)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        boolean capped = false;
        if (logY) {
            List<Curve> cappedCurves = new ArrayList<>();
            for (Curve c : curves) {
                double[] y = c.y().clone();
                for (int i = 0; i < y.length; i++) {
                    if (y[i] > LOG_CAP || y[i] == Double.POSITIVE_INFINITY) {
                        y[i] = LOG_CAP;
                        capped = true;
                    }
                }
                cappedCurves.add(new Curve(c.name(), c.x(), y, c.markers(), c.color()));
            }
            curves = cappedCurves;
        }
        String fullTitle = capped ? title + " (values above 1e6 drawn at 1e6)" : title;
        XYChart chart = new XYChartBuilder().width(760).height(460).title(fullTitle).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setAntiAlias(true);
        boolean nonnegativeX = curves.stream().allMatch(c -> java.util.Arrays.stream(c.x()).allMatch(v -> !(v < 0)));
        if (nonnegativeX) {
            chart.getStyler().setXAxisMin(0.0);
        }
        int ci = 0;
        for (Curve c : curves) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            int n = c.x().length;
            // thin long curves bucket by bucket, keeping each bucket's lowest and highest point, so that
            // an oscillation shows as the band it is rather than as an aliased pattern
            int bucket = Math.max(1, (2 * n + MAX_POINTS - 1) / MAX_POINTS);
            for (int b = 0; b < n; b += bucket) {
                int lo = -1;
                int hi = -1;
                for (int i = b; i < Math.min(n, b + bucket); i++) {
                    double y = c.y()[i];
                    if (!Double.isFinite(y) || !Double.isFinite(c.x()[i]) || (logY && !(y > 0))) {
                        continue;
                    }
                    if (lo < 0 || y < c.y()[lo]) {
                        lo = i;
                    }
                    if (hi < 0 || y > c.y()[hi]) {
                        hi = i;
                    }
                }
                if (lo < 0) {
                    continue;
                }
                int first = Math.min(lo, hi);
                int second = Math.max(lo, hi);
                xs.add(c.x()[first]);
                ys.add(c.y()[first]);
                if (second != first) {
                    xs.add(c.x()[second]);
                    ys.add(c.y()[second]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.name(), xs, ys);
            s.setMarker(c.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            Color color = c.color() != null ? c.color() : PALETTE[ci % PALETTE.length];
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setLineStyle(new BasicStroke(ci >= PALETTE.length ? 1.2f : 1.8f));
            ci++;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".chart", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
