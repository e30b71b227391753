package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.io.MatrixIOException;
import org.bilevel4j.apps.market.EmissionRates;
import org.bilevel4j.apps.market.Fuel;
import org.bilevel4j.apps.market.MarketData;
import org.bilevel4j.apps.market.MarketExperiment;
import org.bilevel4j.apps.market.MarketMethod;
import org.bilevel4j.apps.market.MarketMetrics;
import org.bilevel4j.apps.market.MarketModel;
import org.bilevel4j.apps.market.MarketReference;
import org.bilevel4j.apps.market.MatpowerCase;
import org.bilevel4j.apps.market.MatpowerReader;
import org.bilevel4j.apps.market.Preference;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.Plots;
import org.bilevel4j.cli.report.ReportWriter;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j market}: regularized market clearing on a MATPOWER case (see docs/market.md).
 * Reads the case, forms offers and loads, builds the bilevel model for the chosen preference,
 * solves it exactly (merit order and water-filling) and with each method, and prints one table
 * row per method. With {@code --out} it writes report.json, summary.csv, the traces, and the
 * pictures: dispatch stacked by fuel per period for the preferred and an arbitrary equilibrium, and
 * the price curve. Thin layer over {@code org.bilevel4j.apps.market}.
 */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = "Regularized market clearing on a MATPOWER case: the policy-preferred equilibrium.")
public final class MarketCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--case", required = true, description = "MATPOWER case file (.m)")
    Path caseFile;

    /** The most periods of one run: the hours of a leap year. */
    static final int MAX_PERIODS = 8784;

    /** The most bars of the dispatch charts: longer horizons are shown as means over consecutive periods. */
    static final int MAX_BARS = 168;

    @Option(names = "--periods", defaultValue = "24", description = "periods, 1 to " + MAX_PERIODS
            + " (default ${DEFAULT-VALUE})")
    int periods;

    @Option(names = "--profile", defaultValue = "flat",
            description = "load profile: flat, rts (IEEE RTS winter weekday) or a CSV file of factors (default"
                    + " ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--preference", defaultValue = "fair", description = "fair, schedule or emissions (default"
            + " ${DEFAULT-VALUE})")
    String preference;

    @Option(names = "--price-band", defaultValue = "0",
            description = "round offer prices up to multiples of W $/MWh (default ${DEFAULT-VALUE}: none)")
    double priceBand;

    @Option(names = "--include-renewables",
            description = "include out-of-service units (RTS-GMLC's wind and solar) at their zero cost")
    boolean includeRenewables;

    @Option(names = "--poly-blocks", defaultValue = "4",
            description = "blocks per polynomial cost curve (default ${DEFAULT-VALUE})")
    int polyBlocks;

    @Option(names = "--voll", defaultValue = "1000", description = "value of lost load, $/MWh (default"
            + " ${DEFAULT-VALUE})")
    double voll;

    @Option(names = "--emission-rates", description = "file of emission rates, t/MWh: lines 'FUEL RATE' (coal,"
            + " oil, gas, nuclear, hydro, renewable, other) or 'gen N RATE' (row N of mpc.gen, from 1); the"
            + " rest keep the defaults of each fuel")
    Path emissionRates;

    @Option(names = "--rho", description = "balance weight (default: highest price / (1e-3 peak load))")
    Double rho;

    @Option(names = "--mu", description = "upper-level weight (default: highest price / largest block)")
    Double mu;

    @Option(names = "--methods", split = ",", defaultValue = "tikhonov,bigsam,binno-linesearch,binno-midpoint,"
            + "binno-vanishing", description = "methods (default ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "100000", description = RunOptions.MAX_ITER_HELP)
    int maxIter;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
    Integer threads;

    @Option(names = "--time-limit", defaultValue = "600", description = "seconds for the whole command: reading,"
            + " the reference, every method (each gets an equal share of the time left) and the report (default"
            + " ${DEFAULT-VALUE})")
    double timeLimit;

    @Option(names = "--tikhonov-stage", defaultValue = "1000000",
            description = "FISTA iterations per Tikhonov stage at most (default ${DEFAULT-VALUE}; a safety net: a"
                    + " stage ends when its gradient-mapping step is small and the upper level stops improving)")
    int tikhonovStage;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = RunOptions.SEED_HELP)
    long seed;

    @Option(names = "--out", description = "folder for report.json, summary.csv, traces and pictures")
    Path out;

    @Mixin
    ReportOptions reportOptions;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (periods < 1) {
            throw new InputException("--periods must be at least 1, got " + periods);
        }
        if (periods > MAX_PERIODS) {
            throw new InputException("--periods must be at most " + MAX_PERIODS + " (1 to " + MAX_PERIODS
                    + ", the hours of a leap year), got " + periods);
        }
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
        RunOptions.requireThreads(threads);
        RunOptions.applyThreads(threads);
        if (tikhonovStage < 1) {
            throw new InputException("--tikhonov-stage must be at least 1, got " + tikhonovStage);
        }
        if (!(timeLimit > 0) || timeLimit > 1e7) {
            throw new InputException("--time-limit must be positive and at most 1e7 seconds, got " + timeLimit);
        }
        Checks.atLeast("--poly-blocks", polyBlocks, 1, 1000);
        Checks.nonnegative("--price-band", priceBand);
        Checks.positive("--voll", voll);
        Checks.positive("--rho", rho);
        Checks.positive("--mu", mu);
        Preference pref = parsePreference(preference);
        List<MarketMethod> ms = new ArrayList<>();
        for (String m : methods) {
            ms.add(MarketMethod.parse(m));
        }
        OutputDir dir = out == null ? null : OutputDir.prepare(out, reportOptions.force);
        try {
            double[] prof = profile(profile, periods);
            MatpowerCase c = MatpowerReader.read(caseFile);
            MarketData data = MarketData.fromCase(c, new MarketData.Options(polyBlocks, priceBand, includeRenewables,
                    voll), prof);
            MarketModel.Weights weights = new MarketModel.Weights(rho == null ? Double.NaN : rho,
                    mu == null ? Double.NaN : mu, Double.NaN, Double.NaN);
            MarketModel model = emissionRates == null ? MarketModel.build(data, pref, weights)
                    : MarketModel.build(data, pref, weights,
                            EmissionRates.read(emissionRates).blockRates(data, c.gen().size()));
            long t0 = System.nanoTime();
            MarketReference.Solution ref = MarketReference.solve(model);
            double refSeconds = (System.nanoTime() - t0) * 1e-9;
            MarketReference.Solution arb = MarketReference.arbitrary(model);
            // --time-limit covers the whole command: each method gets an equal share of the time left
            long deadline = started + (long) (timeLimit * 1e9);
            List<MarketExperiment.Row> rows = new ArrayList<>();
            for (int k = 0; k < ms.size(); k++) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    rows.add(new MarketExperiment.Row(ms.get(k), 0, 0, "not run: --time-limit " + timeLimit
                            + " s reached", null, null, null));
                    continue;
                }
                rows.addAll(MarketExperiment.run(model, ref, List.of(ms.get(k)), maxIter,
                        Duration.ofNanos(Math.max(1_000_000L, left / (ms.size() - k))), seed, tikhonovStage));
            }
            PrintWriter pw = reportOptions.stdout(spec);
            printHeader(pw, data, model, ref, arb, refSeconds);
            printTable(pw, model, ref, arb, rows);
            pw.flush();
            if (dir != null) {
                writeReport(dir, model, ref, arb, rows);
                pw.println("wrote " + out);
            }
        } finally {
            if (dir != null) {
                dir.close();
            }
        }
        return 0;
    }

    private static Preference parsePreference(String s) {
        for (Preference p : Preference.values()) {
            if (p.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new InputException("--preference must be fair, schedule or emissions, got '" + s + "'");
    }

    private static double[] profile(String p, int periods) throws MatrixIOException {
        if (p.equals("flat")) {
            return MarketData.flatProfile(periods);
        }
        if (p.equals("rts")) {
            return MarketData.rtsWinterWeekday(periods);
        }
        Path f = Path.of(p);
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new MatrixIOException(f, "cannot read the load profile (" + e.getMessage() + ")", e);
        }
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String tok : lines.get(i).split("[,\\s]+")) {
                if (tok.isBlank()) {
                    continue;
                }
                try {
                    double d = Double.parseDouble(tok);
                    if (!(d >= 0) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    v.add(d);
                } catch (NumberFormatException e) {
                    throw new MatrixIOException(f, "line " + (i + 1) + ": load factor '" + tok
                            + "' is not a finite nonnegative number");
                }
            }
        }
        if (v.size() < periods) {
            throw new MatrixIOException(f, "end of file (line " + lines.size() + "): " + v.size()
                    + " load factors for " + periods + " periods");
        }
        double[] out = new double[periods];
        for (int t = 0; t < periods; t++) {
            out[t] = v.get(t);
        }
        return out;
    }

    private void printHeader(PrintWriter pw, MarketData data, MarketModel m, MarketReference.Solution ref,
            MarketReference.Solution arb, double refSeconds) {
        double minP = Double.POSITIVE_INFINITY;
        double maxP = Double.NEGATIVE_INFINITY;
        for (double p : ref.prices()) {
            minP = Math.min(minP, p);
            maxP = Math.max(maxP, p);
        }
        pw.printf(Locale.ROOT, "market on %s: %d offer blocks, %d loads, %d periods, preference %s%s%s%s%n", caseFile,
                data.blocks(), data.loads(), data.periods(), m.preference().label(),
                priceBand > 0 ? ", price band " + priceBand : "", includeRenewables ? ", renewables included" : "",
                emissionRates != null ? ", emission rates from " + emissionRates : "");
        pw.printf(Locale.ROOT, "rho = %.6g, mu = %.6g, eta = %.6g, delta = %.3g, VOLL = %s, cost scale = %.6g%n",
                m.rho(), m.mu(), m.eta(), m.delta(), voll, m.costScale());
        pw.printf(Locale.ROOT, "reference (merit order + water-filling, %.3f s): Psi2* = %.10g, Psi1 = %.10g, prices"
                + " %.4g..%.4g $/MWh%n", refSeconds, ref.psi2(), ref.psi1(), minP + 0.0, maxP + 0.0);
        MarketMetrics a = MarketMetrics.of(m, ref, arb.x(), arb.y());
        MarketMetrics r = MarketMetrics.of(m, ref, ref.x(), ref.y());
        pw.printf(Locale.ROOT, "preferred equilibrium: cost %.6g, emissions %.6g t; arbitrary equilibrium (ties in"
                + " file order): distance %.3e, cost %.6g, emissions %.6g t, upper value %.8g%n%n", r.cost(),
                r.emissions(), a.distance(), a.cost(), a.emissions(), a.upperValue());
    }

    private static void printTable(PrintWriter pw, MarketModel m, MarketReference.Solution ref,
            MarketReference.Solution arb, List<MarketExperiment.Row> rows) {
        pw.printf(Locale.ROOT, "%-17s %8s %8s %11s %15s %10s %11s %13s %12s  %s%n", "method", "seconds", "iter",
                "gap", "upper", "distance", "max |r_t|", "cost", "emissions", "stop");
        MarketMetrics r = MarketMetrics.of(m, ref, ref.x(), ref.y());
        pw.printf(Locale.ROOT, "%-17s %8s %8s %11.3e %15.9g %10.3e %11.4g %13.7g %12.6g  %s%n", "reference", "-", "-",
                r.lowerGap(), r.upperValue(), 0.0, r.maxResidual(), r.cost(), r.emissions(), "exact");
        for (MarketExperiment.Row row : rows) {
            MarketMetrics x = row.metrics();
            if (x == null) {
                pw.printf(Locale.ROOT, "%-17s %8s %8s %11s %15s %10s %11s %13s %12s  %s%n", row.method().label(), "-",
                        "-", "-", "-", "-", "-", "-", "-", row.stop());
                continue;
            }
            pw.printf(Locale.ROOT, "%-17s %8.2f %8d %11.3e %15.9g %10.3e %11.4g %13.7g %12.6g  %s%n",
                    row.method().label(), row.seconds(), row.iterations(), x.lowerGap(), x.upperValue(), x.distance(),
                    x.maxResidual(), x.cost(), x.emissions(), row.stop());
        }
    }

    private void writeReport(OutputDir dir, MarketModel m, MarketReference.Solution ref, MarketReference.Solution arb,
            List<MarketExperiment.Row> rows) {
        ReportWriter report = new ReportWriter(dir, "market", spec.commandLine().getParseResult().originalArgs());
        report.seed(seed);
        ObjectNode opt = report.options();
        opt.put("case", caseFile.toString());
        opt.put("periods", periods);
        opt.put("profile", profile);
        opt.put("preference", m.preference().label());
        opt.put("priceBand", priceBand);
        opt.put("includeRenewables", includeRenewables);
        opt.put("polyBlocks", polyBlocks);
        opt.put("voll", voll);
        opt.put("rho", m.rho());
        opt.put("mu", m.mu());
        opt.put("eta", m.eta());
        opt.put("delta", m.delta());
        opt.put("maxIterations", maxIter);
        opt.put("timeLimitSeconds", timeLimit);
        opt.put("tikhonovStage", tikhonovStage);
        ObjectNode rn = report.root().putObject("reference");
        rn.put("psi2", ref.psi2());
        rn.put("psi1", ref.psi1());
        ArrayNode pr = rn.putArray("prices");
        for (double p : ref.prices()) {
            pr.add(p);
        }
        StringBuilder csv = new StringBuilder("method,seconds,iterations,gap,upper,distance,max_residual,cost,emissions,"
                + "unserved,stop\n");
        for (MarketExperiment.Row row : rows) {
            ObjectNode n = report.root().withArray("methods").addObject();
            n.put("method", row.method().label());
            n.put("stop", row.stop());
            MarketMetrics x = row.metrics();
            if (x != null) {
                n.put("seconds", row.seconds());
                n.put("iterations", row.iterations());
                n.put("gap", x.lowerGap());
                n.put("upper", x.upperValue());
                n.put("distance", x.distance());
                n.put("maxResidual", x.maxResidual());
                n.put("cost", x.cost());
                n.put("emissions", x.emissions());
                n.put("unserved", x.unserved());
                report.trace("trace-" + row.method().label() + ".csv", row.trace());
            }
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,\"%s\"%n", row.method().label(),
                    x == null ? "" : row.seconds(), x == null ? "" : row.iterations(), x == null ? "" : x.lowerGap(),
                    x == null ? "" : x.upperValue(), x == null ? "" : x.distance(), x == null ? "" : x.maxResidual(),
                    x == null ? "" : x.cost(), x == null ? "" : x.emissions(), x == null ? "" : x.unserved(),
                    row.stop().replace('"', '\'')));
        }
        report.write("summary.csv", o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        report.matrix("x_reference.csv", ref.x());
        report.matrix("x_arbitrary.csv", arb.x());
        report.write("dispatch-preferred.png", o -> BitmapEncoder.saveBitmap(stacked(m, ref.x(),
                "preferred equilibrium (" + m.preference().label() + ")"), o, BitmapEncoder.BitmapFormat.PNG));
        report.write("dispatch-arbitrary.png", o -> BitmapEncoder.saveBitmap(stacked(m, arb.x(),
                "arbitrary equilibrium (ties in file order)"), o, BitmapEncoder.BitmapFormat.PNG));
        double[] t = new double[ref.prices().length];
        for (int k = 0; k < t.length; k++) {
            t[k] = k + 1;
        }
        List<Plots.Series> series = new ArrayList<>();
        series.add(new Plots.Series("reference", t, ref.prices(), false));
        for (MarketExperiment.Row row : rows) {
            if (row.metrics() != null) {
                series.add(new Plots.Series(row.method().label(), t, row.metrics().prices(), true));
            }
        }
        XYChart prices = new XYChartBuilder().width(900).height(520).title("price per period, "
                + caseFile.getFileName()).xAxisTitle("period").yAxisTitle("price $/MWh").build();
        prices.getStyler().setChartBackgroundColor(Color.WHITE);
        prices.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (Plots.Series sr : series) {
            double[][] xy = Plots.thin(sr.x(), sr.y(), false); // at most Plots.MAX_POINTS points
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries xs = prices.addSeries(sr.name(), xy[0], xy[1]);
            xs.setMarker(SeriesMarkers.NONE);
            xs.setLineStyle(sr.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        }
        report.chart("prices.png", prices);
        report.finish();
    }

    private static CategoryChart stacked(MarketModel m, DMatrixRMaj x, String title) {
        int nt = x.numCols;
        Map<Fuel, double[]> byFuel = new LinkedHashMap<>();
        for (Fuel f : Fuel.values()) {
            byFuel.put(f, new double[nt]);
        }
        for (int b = 0; b < x.numRows; b++) {
            double[] row = byFuel.get(m.data().offers().get(b).fuel());
            for (int t = 0; t < nt; t++) {
                row[t] += x.get(b, t);
            }
        }
        int per = (nt + MAX_BARS - 1) / MAX_BARS; // periods per bar: at most MAX_BARS bars
        if (per > 1) {
            int bars = (nt + per - 1) / per;
            for (Map.Entry<Fuel, double[]> e : byFuel.entrySet()) {
                double[] v = e.getValue();
                double[] mean = new double[bars];
                for (int t = 0; t < nt; t++) {
                    mean[t / per] += v[t] / Math.min(per, nt - (t / per) * per);
                }
                e.setValue(mean);
            }
            title += " (mean of " + per + " periods per bar)";
        }
        int nb = byFuel.values().iterator().next().length;
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520).title(title).xAxisTitle("period")
                .yAxisTitle("dispatch MW").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        List<Integer> periodsAxis = new ArrayList<>();
        for (int t = 0; t < nb; t++) {
            periodsAxis.add(t * per + 1);
        }
        for (Map.Entry<Fuel, double[]> e : byFuel.entrySet()) {
            double sum = 0;
            for (double v : e.getValue()) {
                sum += v;
            }
            if (sum > 0) {
                List<Double> ys = new ArrayList<>();
                for (double v : e.getValue()) {
                    ys.add(v);
                }
                chart.addSeries(e.getKey().label(), periodsAxis, ys);
            }
        }
        return chart;
    }
}
