package org.bilevel4j.spark.sweep;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A metric over a sweep's grid: the mean over the seeds against the first parameter that takes
 * more than one value (log axis when its values are positive and span a factor of 10 or more),
 * one line per combination of the other varying parameters (for a (lambda, gamma) grid: PSNR
 * against lambda, one line per gamma). With no varying parameter, the metric against the seed.
 * Failed runs have no value and are left out (the title says how many).
 */
public final class SweepPlot {

    private SweepPlot() {
    }

    /** @return the parameters that take more than one value in the result, in column order */
    public static List<String> varying(SweepResult r) {
        List<String> v = new ArrayList<>();
        for (String p : r.parameters()) {
            Set<Double> values = new LinkedHashSet<>();
            for (SweepRow row : r.rows()) {
                values.add(row.setting().get(p, Double.NaN));
            }
            if (values.size() > 1) {
                v.add(p);
            }
        }
        return v;
    }

    /**
     * @param r the sweep
     * @param metric the metric to plot
     * @param xAxis the parameter on the x axis (one of {@link #varying}), or null for the first
     * @return the chart
     */
    public static XYChart chart(SweepResult r, String metric, String xAxis) {
        if (!r.metrics().contains(metric)) {
            throw new IllegalArgumentException("no metric '" + metric + "' in job " + r.job() + " (it has "
                    + String.join(", ", r.metrics()) + ")");
        }
        List<String> varying = varying(r);
        String x = xAxis != null ? xAxis : varying.isEmpty() ? null : varying.get(0);
        if (x != null && !varying.contains(x)) {
            throw new IllegalArgumentException("parameter '" + x + "' does not vary in the sweep (varying: "
                    + (varying.isEmpty() ? "none" : String.join(", ", varying)) + ")");
        }
        List<String> others = new ArrayList<>(varying);
        others.remove(x);
        // series label -> (x -> mean over seeds)
        Map<String, Map<Double, double[]>> series = new LinkedHashMap<>();
        for (SweepRow row : r.rows()) {
            StringBuilder label = new StringBuilder();
            for (String o : others) {
                label.append(label.length() == 0 ? "" : ", ").append(o).append(" = ")
                        .append(Setting.format(row.setting().get(o)));
            }
            String name = label.length() == 0 ? metric : label.toString();
            double xv = x == null ? row.seed() : row.setting().get(x);
            double[] acc = series.computeIfAbsent(name, k -> new LinkedHashMap<>()).computeIfAbsent(xv,
                    k -> new double[2]);
            double v = row.metric(metric);
            if (!Double.isNaN(v)) {
                acc[0] += v;
                acc[1]++;
            }
        }
        boolean logX = false;
        if (x != null) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (SweepRow row : r.rows()) {
                min = Math.min(min, row.setting().get(x));
                max = Math.max(max, row.setting().get(x));
            }
            logX = min > 0 && max >= 10 * min;
        }
        long failed = r.failures();
        String title = String.format(Locale.ROOT, "%s: %s%s (%s)%s", r.job(), metric,
                r.rows().stream().map(SweepRow::seed).distinct().count() > 1 ? ", mean over seeds" : "",
                x == null ? "per seed" : "over the grid",
                failed == 0 ? "" : "; " + failed + " failed run" + (failed == 1 ? "" : "s") + " left out");
        XYChart chart = new XYChartBuilder().width(760).height(480).title(title)
                .xAxisTitle(x == null ? "seed" : x + (logX ? " (log scale)" : "")).yAxisTitle(metric).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        for (Map.Entry<String, Map<Double, double[]>> e : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            e.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(p -> {
                if (p.getValue()[1] > 0 && Double.isFinite(p.getValue()[0])) {
                    xs.add(p.getKey());
                    ys.add(p.getValue()[0] / p.getValue()[1]);
                }
            });
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(e.getKey(), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalStateException("no run has a value of " + metric + " to plot");
        }
        return chart;
    }
}
