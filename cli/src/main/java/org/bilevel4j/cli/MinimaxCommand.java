package org.bilevel4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.toys.MinimaxExperiment;
import org.bilevel4j.apps.toys.MinimaxExperiment.Outcome;
import org.bilevel4j.apps.toys.MinimaxExperiment.PathPoint;
import org.bilevel4j.apps.toys.MinimaxExperiment.Settings;
import org.bilevel4j.apps.toys.MinimaxToys;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j minimax}: the penalty method for bilevel minimax problems on the test problems
 * T1 to T5 (see docs/minimax.md). Prints the solution, its error against the closed form, the
 * lower-level gap, gradient calls and seconds; with {@code --out} it also runs a rho sweep and writes
 * {@code report.json}, {@code summary.csv}, {@code trace-<P>.csv} and a PNG per problem with error and
 * gap against gradient calls (log axes) and the final error against rho. Bad input raises an
 * {@link InputException} whose one-line message names the option and its allowed range.
 */
@Command(name = "minimax", mixinStandardHelpOptions = true,
        description = "Penalty method for bilevel minimax problems on the test problems T1..T5.")
public final class MinimaxCommand implements Callable<Integer> {

    static final double[] DEFAULT_SWEEP = {10, 30, 100, 300, 1000};
    static final double[] DEFAULT_STOCHASTIC_SWEEP = {10, 30, 100};

    @Spec
    CommandSpec spec;

    @Option(names = "--problem", required = true, description = "T1, T2, T3, T4, T5 or all")
    String problem;

    @Option(names = "--rho", defaultValue = "1000", description = "target penalty parameter (default ${DEFAULT-VALUE})")
    double rho;

    @Option(names = "--eps", description = "eps at the target rho (default 0.5 / rho)")
    Double eps;

    @Option(names = "--stochastic", description = "minibatch gradients on finite-sum T1 (100 components)")
    boolean stochastic;

    @Option(names = "--batch", defaultValue = "10", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--budget", defaultValue = "2000000",
            description = "component-gradient budget of the stochastic variant (default ${DEFAULT-VALUE})")
    long budget;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = RunOptions.SEED_HELP)
    long seed;

    @Option(names = "--sweep", split = ",",
            description = "rho values of the sweep run with --out (default 10,30,100,300,1000; stochastic 10,30,100)")
    double[] sweep;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "50000000",
            description = "Iteration limit: proximal steps over all levels (at least 1). Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder: report.json, summary.csv, the traces"
            + " and a PNG per problem, after a rho sweep. Default: none (print only).")
    Path out;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        PrintWriter pw = report.quiet ? new PrintWriter(Writer.nullWriter()) : spec.commandLine().getOut();
        RunOptions.requireMaxIter(maxIter);
        RunOptions.requireThreads(threads);
        RunOptions.applyThreads(threads);
        // every option is checked here, with messages that name it and its range, before MinimaxExperiment.Settings
        // sees it (an --eps of NaN would read as "not given" there)
        Checks.positive("--rho", rho);
        if (eps != null && (!(eps > 0) || Double.isInfinite(eps))) {
            throw new InputException("--eps must be positive and finite, got " + eps);
        }
        Checks.atLeast("--batch", batch, 1, MinimaxExperiment.FINITE_SUM_COMPONENTS);
        Checks.atLeast("--budget", budget, 1, Long.MAX_VALUE);
        List<String> names = problem.trim().equalsIgnoreCase("all") ? MinimaxToys.names() : List.of(problem.trim());
        for (String n : names) {
            try {
                MinimaxToys.byName(n); // rejects unknown names before any work
            } catch (IllegalArgumentException e) {
                throw new InputException("--problem: " + e.getMessage(), e);
            }
        }
        if (stochastic && !(names.size() == 1 && names.get(0).equalsIgnoreCase("T1"))) {
            throw new InputException("--stochastic runs on finite-sum T1 only (--problem T1), got --problem " + problem);
        }
        if (sweep != null) {
            for (double r : sweep) {
                if (!(r > 0) || Double.isInfinite(r)) {
                    throw new InputException("--sweep values of rho must be positive and finite, got " + r);
                }
            }
        }
        List<Settings> settings = new ArrayList<>();
        for (String n : names) { // validates every run before the first one starts
            settings.add(new Settings(n, rho, eps == null ? Double.NaN : eps, stochastic, batch, budget, seed,
                    maxIter));
        }
        // refused now (exit 2) if --out cannot receive the report; written all at once at the end
        try (OutputDir dir = out == null ? null : report.prepare(out)) {
            solveAndWrite(pw, settings, names, dir);
        }
        pw.flush();
        return 0;
    }

    private void solveAndWrite(PrintWriter pw, List<Settings> settings, List<String> names, OutputDir dir) {
        List<Outcome> mains = new ArrayList<>();
        Map<String, List<Outcome>> sweeps = new LinkedHashMap<>();
        for (Settings s : settings) {
            Outcome o = MinimaxExperiment.run(s);
            mains.add(o);
            printOutcome(pw, o);
            if (out != null) {
                double[] rhos = sweep != null ? sweep : (stochastic ? DEFAULT_STOCHASTIC_SWEEP : DEFAULT_SWEEP);
                List<Outcome> rows = MinimaxExperiment.sweep(s, rhos);
                sweeps.put(o.settings().problem(), rows);
                printSweep(pw, o.settings().problem(), rows);
            }
            pw.flush();
        }
        if (names.size() > 1) {
            printSummary(pw, mains);
        }
        if (dir != null) {
            writeFiles(pw, dir, mains, sweeps);
        }
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private void printOutcome(PrintWriter pw, Outcome o) {
        Settings s = o.settings();
        pw.println(fmt("problem %s: %s", s.problem(), o.description()));
        if (s.stochastic()) {
            pw.println(fmt("stochastic penalty minimax, rho = %s, eps = %.3g, minibatch %d, seed %d", num(s.rho()),
                    s.effectiveEps(), s.batch(), s.seed()));
        } else {
            pw.println(fmt("penalty minimax, rho = %s, eps = %.3g, continuation from rho = 10", num(s.rho()),
                    s.effectiveEps()));
        }
        if (!o.note().isEmpty()) {
            pw.println(o.note());
        }
        pw.println("solution   " + o.solution());
        pw.println("reference  " + o.reference());
        String mult = Double.isNaN(o.multiplierError()) ? "" : fmt("   multiplier error = %.3e", o.multiplierError());
        pw.println(fmt("error (x1, y1, y2) = %.3e   error x1 = %.3e   error x2 = %.3e%s", o.error(), o.errorX1(),
                o.errorX2(), mult));
        pw.println(fmt("lower-level gap = %.3e   upper value = %.6g (reference %.6g)", o.gap(), o.upperValue(),
                o.referenceValue()));
        pw.println(fmt("%s = %d   seconds = %.2f   stop: %s (%s)", o.callsUnit(), o.gradientCalls(), o.seconds(),
                o.stopReason(), o.message()));
        pw.println();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static void printSweep(PrintWriter pw, String name, List<Outcome> rows) {
        pw.println(fmt("rho sweep on %s:", name));
        pw.println(fmt("%8s %10s %11s %11s %11s %12s %8s", "rho", "eps", "error", "error_x2", "gap", "calls",
                "seconds"));
        for (Outcome o : rows) {
            pw.println(fmt("%8s %10.3g %11.3e %11.3e %11.3e %12d %8.2f", num(o.settings().rho()),
                    o.settings().effectiveEps(), o.error(), o.errorX2(), o.gap(), o.gradientCalls(), o.seconds()));
        }
        pw.println();
    }

    private static void printSummary(PrintWriter pw, List<Outcome> mains) {
        pw.println("summary:");
        pw.println(fmt("%-4s %8s %11s %11s %11s %11s %12s %8s", "", "rho", "error", "error_x1", "error_x2", "gap",
                "calls", "seconds"));
        for (Outcome o : mains) {
            pw.println(fmt("%-4s %8s %11.3e %11.3e %11.3e %11.3e %12d %8.2f", o.settings().problem(),
                    num(o.settings().rho()), o.error(), o.errorX1(), o.errorX2(), o.gap(), o.gradientCalls(),
                    o.seconds()));
        }
        pw.println();
    }

    private void writeFiles(PrintWriter pw, OutputDir dir, List<Outcome> mains, Map<String, List<Outcome>> sweeps) {
        String tag = stochastic ? "-stochastic" : "";
        ReportWriter rw = new ReportWriter(dir, "minimax", spec.commandLine().getParseResult().originalArgs());
        rw.seed(seed);
        ObjectNode opt = rw.options();
        opt.put("problem", problem);
        opt.put("rho", rho);
        if (eps == null) {
            opt.putNull("eps");
        } else {
            opt.put("eps", eps);
        }
        opt.put("stochastic", stochastic);
        opt.put("batch", batch);
        opt.put("budget", budget);
        opt.put("maxIterations", maxIter);
        opt.putPOJO("sweep", sweep != null ? sweep : (stochastic ? DEFAULT_STOCHASTIC_SWEEP : DEFAULT_SWEEP));
        StringBuilder csv = new StringBuilder(
                "problem,stochastic,rho,eps,error,error_x1,error_x2,gap,calls,seconds,stop\n");
        List<String> pngs = new ArrayList<>();
        for (Outcome o : mains) {
            String p = o.settings().problem();
            rw.trace("trace-" + p + tag + ".csv", o.trace());
            ObjectNode run = rw.run(p);
            describe(o).forEach(run::putPOJO);
            List<Outcome> rows = sweeps.get(p);
            for (Outcome r : rows) {
                csv.append(fmt("%s,%b,%s,%s,%s,%s,%s,%s,%d,%s,%s%n", p, r.settings().stochastic(), r.settings().rho(),
                        r.settings().effectiveEps(), r.error(), r.errorX1(), r.errorX2(), r.gap(), r.gradientCalls(),
                        r.seconds(), r.stopReason()));
            }
            String png = "minimax-" + p + tag + ".png";
            writePlot(p, o.callsUnit(), rows, dir.file(png));
            pngs.add(png);
        }
        List<Map<String, Object>> sw = new ArrayList<>();
        sweeps.values().forEach(list -> list.forEach(o -> sw.add(describe(o))));
        rw.root().putPOJO("sweepRuns", sw);
        writeAtomically(dir.file("summary" + tag + ".csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        Path where = rw.finish();
        for (String png : pngs) {
            pw.println("wrote " + where.resolve(png));
        }
        pw.println("wrote " + where.resolve("report.json") + ", " + where.resolve("summary" + tag + ".csv")
                + " and the traces");
    }

    private static Map<String, Object> describe(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("problem", o.settings().problem());
        m.put("stochastic", o.settings().stochastic());
        m.put("rho", o.settings().rho());
        m.put("eps", o.settings().effectiveEps());
        m.put("solution", point(o.solution()));
        m.put("reference", point(o.reference()));
        m.put("error", o.error());
        m.put("errorX1", o.errorX1());
        m.put("errorX2", o.errorX2());
        if (!Double.isNaN(o.multiplierError())) {
            m.put("multiplierError", o.multiplierError());
        }
        m.put("gap", o.gap());
        m.put("upperValue", o.upperValue());
        m.put("referenceValue", o.referenceValue());
        m.put("calls", o.gradientCalls());
        m.put("callsUnit", o.callsUnit());
        m.put("seconds", o.seconds());
        m.put("stopReason", o.stopReason().name());
        m.put("iterations", o.iterations());
        m.put("message", o.message());
        if (!o.note().isEmpty()) {
            m.put("note", o.note());
        }
        return m;
    }

    private static Map<String, double[]> point(MinimaxBilevelPoint p) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x1", p.x1().data.clone());
        m.put("x2", p.x2().data.clone());
        m.put("y1", p.y1().data.clone());
        m.put("y2", p.y2().data.clone());
        return m;
    }

    /** Error and gap against calls per rho, and the final error against rho with a 1/rho guide. */
    static void writePlot(String name, String unit, List<Outcome> rows, Path png) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart err = chart(name + ": error vs " + unit, unit, "error (x1, y1, y2)");
        XYChart gap = chart(name + ": lower-level gap vs " + unit, unit, "lower-level gap");
        // largest rho first: with continuation the runs share their start, and the shorter ones stay visible
        List<Outcome> byRho = new ArrayList<>(rows);
        byRho.sort((a, b) -> Double.compare(b.settings().rho(), a.settings().rho()));
        for (Outcome o : byRho) {
            String label = "rho = " + num(o.settings().rho());
            addPositive(err, label, o.path(), true);
            addPositive(gap, label, o.path(), false);
        }
        XYChart vsRho = chart(name + ": final error vs rho", "rho", "error");
        List<double[]> pts = new ArrayList<>();
        for (Outcome o : rows) {
            if (o.error() > 0) {
                pts.add(new double[] {o.settings().rho(), o.error()});
            }
        }
        if (!pts.isEmpty()) {
            double[] x = pts.stream().mapToDouble(a -> a[0]).toArray();
            double[] y = pts.stream().mapToDouble(a -> a[1]).toArray();
            XYSeries s = vsRho.addSeries("error", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            double[] guide = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                guide[i] = y[0] * x[0] / x[i];
            }
            XYSeries g = vsRho.addSeries("slope -1 (1/rho)", x, guide);
            g.setMarker(SeriesMarkers.NONE);
        }
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".plot", ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(List.of(err, gap, vsRho), 1, 3, os, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(520).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        return c;
    }

    /** Adds the points with positive calls and value (log axes cannot show the others). */
    private static void addPositive(XYChart c, String label, List<PathPoint> path, boolean error) {
        List<double[]> pts = new ArrayList<>();
        for (PathPoint p : path) {
            double v = error ? p.error() : p.gap();
            if (p.gradientCalls() > 0 && v > 0 && Double.isFinite(v)) {
                pts.add(new double[] {p.gradientCalls(), v});
            }
        }
        if (pts.isEmpty()) {
            return;
        }
        double[][] xy = org.bilevel4j.cli.report.Plots.thin(pts.stream().mapToDouble(a -> a[0]).toArray(),
                pts.stream().mapToDouble(a -> a[1]).toArray(), true); // at most Plots.MAX_POINTS
        XYSeries s = c.addSeries(label, xy[0], xy[1]);
        s.setMarker(SeriesMarkers.NONE);
    }

    static void writeAtomically(Path path, byte[] bytes) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".minimax", ".tmp");
            try {
                Files.write(tmp, bytes);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
