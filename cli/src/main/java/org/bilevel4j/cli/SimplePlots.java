package org.bilevel4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Chart building blocks of the {@code simple} commands (XChart). */
final class SimplePlots {

    /** Distinct, print-safe series colors. */
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};

    private SimplePlots() {
    }

    /** A chart with the common style: white background, small fonts, legend inside. */
    static XYChart chart(String title, String xTitle, String yTitle, int width, int height, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe6e6e6));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(new Color(0xcccccc));
        st.setMarkerSize(6);
        st.setXAxisLogarithmic(logX);
        st.setYAxisLogarithmic(logY);
        st.setSeriesColors(COLORS);
        st.setAntiAlias(false);
        // a log axis draws a line at every minor tick: keep the picture (and the PNG) light
        st.setPlotGridVerticalLinesVisible(!logX);
        st.setPlotGridHorizontalLinesVisible(!logY);
        return c;
    }

    /**
     * Widens a log y axis whose data span less than two decades (XChart labels only decades there,
     * so such an axis would show no label): one decade below the smallest and above the largest value.
     */
    static void spanDecades(XYChart c) {
        if (!c.getStyler().isYAxisLogarithmic()) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (XYSeries s : c.getSeriesMap().values()) {
            for (double v : s.getYData()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi > 0 && hi / lo < 100) {
            c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo)) - 1));
            c.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi)) + 1));
        }
    }

    /**
     * Adds a line series, dropping points that a log axis cannot show (non-positive or non-finite).
     *
     * @return the series, or null when no point is left
     */
    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, boolean markers) {
        boolean logX = c.getStyler().isXAxisLogarithmic();
        boolean logY = c.getStyler().isYAxisLogarithmic();
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (logX && x[i] <= 0) || (logY && y[i] <= 0)) {
                continue;
            }
            xs[n] = x[i];
            ys[n] = y[i];
            n++;
        }
        if (n == 0) {
            return null;
        }
        XYSeries s = c.addSeries(name, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (color != null) {
            s.setLineColor(color);
            s.setMarkerColor(color);
        }
        s.setLineStyle(new BasicStroke(1.6f));
        return s;
    }

    /** Draws a series dashed (the penalty runs, against solid DBGD lines); null is ignored. */
    static void dashed(XYSeries s) {
        if (s != null) {
            s.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                    0f));
        }
    }

    /** Adds a scatter series without a legend entry. */
    static void dots(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = line(c, name, x, y, color, true);
        if (s != null) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setShowInLegend(false);
            s.setMarkerColor(color);
        }
    }

    /** A thin gray circle of radius r (no legend entry). */
    static void circle(XYChart c, String name, double r, Color color, float width) {
        int m = 241;
        double[] x = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double t = 2 * Math.PI * i / (m - 1);
            x[i] = r * Math.cos(t);
            y[i] = r * Math.sin(t);
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
        s.setShowInLegend(false);
    }

    /** A single marked point with a legend entry. */
    static void point(XYChart c, String name, double x, double y, Color color, boolean legend) {
        XYSeries s = c.addSeries(name, new double[] {x}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
        s.setShowInLegend(legend);
    }

    /**
     * Indices to plot from a path of n points: all of the first {@code head}, then evenly spaced, and
     * the last one, at most about {@code head + tail} in all.
     */
    static int[] decimate(int n, int head, int tail) {
        if (n <= head + tail) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            idx.add(i);
        }
        double stepSize = (double) (n - 1 - head) / tail;
        for (int k = 1; k <= tail; k++) {
            int i = head + (int) Math.round(k * stepSize);
            if (i > idx.get(idx.size() - 1) && i < n) {
                idx.add(i);
            }
        }
        if (idx.get(idx.size() - 1) != n - 1) {
            idx.add(n - 1);
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Indices to plot against a logarithmic iteration axis: about {@code m} indices spaced evenly in
     * {@code log(i + 1)}, always the first and the last.
     */
    static int[] decimateLog(int n, int m) {
        if (n <= m) {
            return decimate(n, n, 0);
        }
        List<Integer> idx = new ArrayList<>();
        idx.add(0);
        double top = Math.log(n);
        for (int k = 1; k <= m; k++) {
            int i = (int) Math.round(Math.exp(top * k / m)) - 1;
            if (i > idx.get(idx.size() - 1) && i < n) {
                idx.add(i);
            }
        }
        if (idx.get(idx.size() - 1) != n - 1) {
            idx.add(n - 1);
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return {@code a[idx[i]]} */
    static double[] pick(double[] a, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
