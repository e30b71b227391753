package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.cleaning.CleaningDataset;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.apps.robust.ImbalancedSplit;
import org.bilevel4j.apps.robust.RobustExperiment;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.Plots;
import org.bilevel4j.cli.report.ProgressListener;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.solver.Trace;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j robust}: learning per-class loss shifts for group DRO on imbalanced FashionMNIST
 * with the bilevel penalty method, against ERM, class-balanced reweighting and group DRO (issue 17).
 */
@Command(name = "robust", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Group DRO with learned per-class loss shifts on imbalanced FashionMNIST (780 training samples"
                + " per class, 78 for classes 0, 2, 4, 6; 100 validation per class; the official test set; 64 PCA"
                + " components): the bilevel penalty method (rho 10 -> 20 -> 40) against ERM, class-balanced"
                + " reweighting, group DRO (tau = 1) and group DRO with tau tuned on validation. Prints one table"
                + " per seed and the means, the lower-level gap per rho level and the issue's checks.",
            "Writes report.json, trace.csv (the bilevel runs, with a seed column), validation-worst-loss-vs-time.png"
                + " and test-accuracy-per-class.png into --out."},
        footer = {"", "Data: the fashion-mnist folder under the data root (--data, else BILEVEL4J_DATA, else"
            + " ../shared/data).", "Exit codes: 0 success, 2 bad usage or input, 1 internal failure."})
final class RobustCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The data root holding fashion-mnist/.")
    Path dataRoot;

    @Option(names = "--seeds", paramLabel = "S,S,...", split = ",", defaultValue = "0,1,2",
            description = "Seeds of the split, one run each. Default: ${DEFAULT-VALUE}. A lone --seed N runs that seed.")
    List<Long> seeds;

    @Option(names = "--rho", paramLabel = "R", defaultValue = "40",
            description = "Target penalty parameter (continuation from 10, doubling). Default: ${DEFAULT-VALUE}.")
    double rho;

    @Option(names = "--inner-factor", paramLabel = "F", defaultValue = "0.1",
            description = "Inner tolerance as a multiple of eps = 0.5 / rho. Default: ${DEFAULT-VALUE}.")
    double innerFactor;

    /** The inner solvers offered. */
    enum Inner {
        lbfgs, extragradient
    }

    @Option(names = "--inner", paramLabel = "SOLVER", defaultValue = "lbfgs",
            description = "Inner saddle solver: lbfgs (best responses for p, q, r in closed form, L-BFGS for the two"
                    + " weight matrices) or extragradient (the solver's block-step extragradient). Default:"
                    + " ${DEFAULT-VALUE}.")
    Inner inner;

    @Option(names = "--max-inner", paramLabel = "N", defaultValue = "100000",
            description = "Inner budget per outer step (extragradient iterations, or L-BFGS iterations of each"
                    + " solve). Default: ${DEFAULT-VALUE}.")
    int maxInner;

    @Mixin
    RunOptions run;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/robust",
            description = "Report folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** The most seeds one run takes (each is about a minute of solves). */
    static final int MAX_SEEDS = 100;

    /** The columns of the progress bar. */
    static final List<String> PROGRESS_COLUMNS = List.of("rho", "gap", "res_x1");

    @Override
    public Integer call() throws IOException {
        run.validate();
        if (!(rho >= 10) || Double.isInfinite(rho)) {
            throw new InputException("--rho must be at least 10 (the continuation starts there) and finite, got " + rho);
        }
        if (!(innerFactor > 0) || Double.isInfinite(innerFactor)) {
            throw new InputException("--inner-factor must be positive and finite, got " + innerFactor);
        }
        // every option (and --out, below) is checked before the data folder is looked up, so a bad option is named
        // first
        Checks.atLeast("--max-inner", maxInner, 1, Integer.MAX_VALUE);
        boolean seedGiven = spec.commandLine().getParseResult().hasMatchedOption("--seed");
        boolean seedsGiven = spec.commandLine().getParseResult().hasMatchedOption("--seeds");
        if (seedGiven && seedsGiven) {
            throw new InputException("give either --seed or --seeds, not both");
        }
        String seedOption = seedGiven ? "--seed" : "--seeds";
        List<Long> ss = seedGiven ? List.of(run.seed) : new ArrayList<>(new LinkedHashSet<>(seeds));
        if (ss.isEmpty()) {
            throw new InputException("--seeds must name at least one seed (1 to " + MAX_SEEDS + " seeds), got none");
        }
        if (ss.size() > MAX_SEEDS) {
            throw new InputException("--seeds must name at most " + MAX_SEEDS + " seeds (about a minute each), got "
                    + ss.size());
        }
        for (long s : ss) {
            if (s < 0) {
                throw new InputException(seedOption + " must be nonnegative, got " + s);
            }
        }
        int parallelism = run.applyThreads();
        PrintWriter o = spec.commandLine().getOut();
        RobustExperiment.Settings settings = RobustExperiment.Settings.standard().withMaxOuter(run.maxIter)
                .withPenalty(rho, innerFactor).withInner(inner == Inner.extragradient, maxInner);
        // --out is checked before the data folder is looked up, as every command checks it before any work
        try (OutputDir dir = OutputDir.prepare(out, run.force)) {
            Path folder;
            try {
                folder = CleaningDataset.resolve("fashion-mnist", dataRoot);
            } catch (NoSuchFileException e) {
                throw new InputException("no FashionMNIST data: " + e.getMessage());
            }
            ReportWriter report = new ReportWriter(dir, "robust", spec.commandLine().getParseResult().originalArgs());
            List<RobustExperiment.Report> reports = new ArrayList<>();
            List<double[]> loads = new ArrayList<>();
            for (long seed : ss) {
                long t0 = System.nanoTime();
                double cpu0 = processCpuSeconds();
                double load0 = loadAverage();
                ImbalancedSplit split;
                try {
                    split = ImbalancedSplit.load(folder, seed);
                } catch (IdxFormatException | NoSuchFileException e) {
                    throw new InputException(e.getMessage());
                }
                double readSeconds = (System.nanoTime() - t0) * 1e-9;
                if (!run.quiet) {
                    o.println(split.describe());
                    o.flush();
                }
                RobustExperiment.Report r = RobustExperiment.run(split, settings,
                        ProgressListener.onStderr(run.quiet, "robust seed " + seed, run.maxIter, PROGRESS_COLUMNS),
                        null);
                double seconds = (System.nanoTime() - t0) * 1e-9;
                double cpu = processCpuSeconds() - cpu0;
                double load1 = loadAverage();
                loads.add(new double[] {readSeconds, seconds, load0, load1, cpu});
                reports.add(r);
                if (!run.quiet) {
                    for (String line : seedTable(r, readSeconds, seconds, load0, load1, cpu)) {
                        o.println(line);
                    }
                    o.println();
                    o.flush();
                }
            }
            List<String> summary = summary(reports);
            List<String> checks = checks(reports, loads);
            if (!run.quiet) {
                summary.forEach(o::println);
                o.println();
                checks.forEach(o::println);
                o.flush();
            }
            describe(report, settings, folder, reports, loads, checks, parallelism);
            writeTraces(report, reports);
            report.chart("validation-worst-loss-vs-time.png", lossChart(reports));
            report.chart("test-accuracy-per-class.png", accuracyChart(reports));
            Path where = report.finish();
            if (!run.quiet) {
                o.println();
                o.println("report: " + where);
                o.flush();
            }
        }
        return 0;
    }

    /** @return the CPU seconds this process has used (all threads), or NaN where the JVM does not say */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long t = sun.getProcessCpuTime();
            return t < 0 ? Double.NaN : t * 1e-9;
        }
        return Double.NaN;
    }

    /** @return the 1-minute load average, or NaN where it cannot be read */
    static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"));
            return Double.parseDouble(s.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static List<RobustExperiment.Score> methods(RobustExperiment.Report r) {
        List<RobustExperiment.Score> all = new ArrayList<>(r.baselines());
        all.add(r.bilevel().retrained());
        return all;
    }

    static String label(RobustExperiment.Score s) {
        return s.method().startsWith("bilevel") ? "bilevel (retrained at a)" : s.method();
    }

    static List<String> seedTable(RobustExperiment.Report r, double readSeconds, double seconds, double load0,
            double load1, double cpu) {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "seed %d: chosen tau %s; %.1f s in all (%.1f s reading and PCA), %.1f s of"
                + " CPU time, load average %.1f at the start, %.1f at the end", r.seed(),
                RobustExperimentNum.num(r.chosenTau()), seconds, readSeconds, cpu, load0, load1));
        l.add(String.format(Locale.ROOT, "  %-28s %10s %10s %10s %9s %11s", "method", "val worst", "test worst",
                "test avg", "seconds", "grad calls"));
        for (RobustExperiment.Score s : methods(r)) {
            boolean bi = s.method().startsWith("bilevel");
            l.add(String.format(Locale.ROOT, "  %-28s %10.4f %10.4f %10.4f %9.2f %11d", label(s),
                    s.worstValidationLoss(), s.worstTestAccuracy(), s.averageTestAccuracy(), s.seconds(),
                    bi ? r.bilevel().gradientCalls() : s.gradientCalls()));
        }
        RobustExperiment.Bilevel b = r.bilevel();
        StringBuilder gaps = new StringBuilder();
        for (int i = 0; i < b.levelRho().length; i++) {
            gaps.append(String.format(Locale.ROOT, "%s rho %s: %.3e", i == 0 ? "" : ",",
                    RobustExperimentNum.num(b.levelRho()[i]), b.levelGap()[i]));
        }
        l.add("  bilevel: " + b.result().stopReason() + " after " + b.result().iterations() + " outer steps; lower-level"
                + " gap per level" + gaps);
        StringBuilder a = new StringBuilder();
        for (double v : b.shifts()) {
            a.append(String.format(Locale.ROOT, " %+.3f", v));
        }
        l.add("  learned a:" + a);
        return l;
    }

    static double mean(List<RobustExperiment.Report> rs, int method, java.util.function.ToDoubleFunction<
            RobustExperiment.Score> f) {
        double s = 0;
        for (RobustExperiment.Report r : rs) {
            s += f.applyAsDouble(methods(r).get(method));
        }
        return s / rs.size();
    }

    static List<String> summary(List<RobustExperiment.Report> rs) {
        List<String> l = new ArrayList<>();
        l.add("mean over " + rs.size() + " seed(s)");
        l.add(String.format(Locale.ROOT, "  %-28s %10s %10s %10s %9s", "method", "val worst", "test worst", "test avg",
                "seconds"));
        int n = methods(rs.get(0)).size();
        for (int m = 0; m < n; m++) {
            RobustExperiment.Score first = methods(rs.get(0)).get(m);
            String name = first.method().startsWith("group DRO tuned") ? "group DRO tuned" : label(first);
            l.add(String.format(Locale.ROOT, "  %-28s %10.4f %10.4f %10.4f %9.2f", name,
                    mean(rs, m, RobustExperiment.Score::worstValidationLoss),
                    mean(rs, m, RobustExperiment.Score::worstTestAccuracy),
                    mean(rs, m, RobustExperiment.Score::averageTestAccuracy), mean(rs, m, RobustExperiment.Score::seconds)));
        }
        return l;
    }

    /** The issue's checks, each a line starting with PASS or FAIL. */
    static List<String> checks(List<RobustExperiment.Report> rs, List<double[]> loads) {
        List<String> l = new ArrayList<>();
        double erm = mean(rs, 0, RobustExperiment.Score::worstTestAccuracy);
        double dro = mean(rs, 2, RobustExperiment.Score::worstTestAccuracy);
        l.add(line(erm >= 0.20 && erm <= 0.33, String.format(Locale.ROOT,
                "ERM worst-class test accuracy, mean %.4f, in [0.20, 0.33]", erm)));
        l.add(line(dro >= 0.52 && dro <= 0.62, String.format(Locale.ROOT,
                "group DRO (tau = 1) worst-class test accuracy, mean %.4f, in [0.52, 0.62]", dro)));
        for (int i = 0; i < rs.size(); i++) {
            RobustExperiment.Report r = rs.get(i);
            List<RobustExperiment.Score> ms = methods(r);
            double d = ms.get(2).worstTestAccuracy() - ms.get(0).worstTestAccuracy();
            l.add(line(d >= 0.2, String.format(Locale.ROOT, "seed %d: group DRO beats ERM by %.4f >= 0.2", r.seed(), d)));
            RobustExperiment.Bilevel b = r.bilevel();
            double gap = b.levelGap()[b.levelGap().length - 1];
            l.add(line(gap >= -1e-6 && gap <= 2e-3, String.format(Locale.ROOT,
                    "seed %d: final lower-level gap %.3e in [-1e-6, 2e-3]", r.seed(), gap)));
            double bi = b.retrained().worstValidationLoss();
            double gain = ms.get(2).worstValidationLoss() - bi;
            l.add(line(gain >= 0.03, String.format(Locale.ROOT, "seed %d: validation worst-class loss after retraining"
                    + " %.4f, below group DRO at a = 0 (%.4f) by %.4f >= 0.03", r.seed(), bi,
                    ms.get(2).worstValidationLoss(), gain)));
            double tuned = ms.get(3).worstValidationLoss();
            l.add(line(bi <= tuned, String.format(Locale.ROOT, "seed %d: and no higher than the best tau of the grid"
                    + " (%.4f)", r.seed(), tuned)));
            double sec = loads.get(i)[1];
            l.add(line(sec <= 600, String.format(Locale.ROOT, "seed %d: %.1f s for the seed (bilevel %.1f s; %.1f s"
                    + " of CPU time), load average %.1f-%.1f on %d processors, <= 600 s", r.seed(), sec,
                    b.result().seconds(), loads.get(i)[4], loads.get(i)[2], loads.get(i)[3],
                    Runtime.getRuntime().availableProcessors())));
        }
        return l;
    }

    private static String line(boolean ok, String what) {
        return (ok ? "PASS  " : "FAIL  ") + what;
    }

    private void describe(ReportWriter report, RobustExperiment.Settings s, Path folder,
            List<RobustExperiment.Report> rs, List<double[]> loads, List<String> checks, int parallelism) {
        if (rs.size() == 1) {
            report.seed(rs.get(0).seed());
        }
        ObjectNode opt = report.options();
        ArrayNode seedArray = opt.putArray("seeds");
        rs.forEach(r -> seedArray.add(r.seed()));
        opt.put("data", folder.toString());
        opt.put("lambda", s.lambda());
        opt.put("tau", s.tau());
        opt.put("mu", s.mu());
        ArrayNode taus = opt.putArray("tauGrid");
        for (double t : s.taus()) {
            taus.add(t);
        }
        opt.put("gradientTolerance", s.tolerance());
        opt.put("rho", s.rho());
        opt.put("startRho", s.startRho());
        opt.put("epsConstant", s.epsConstant());
        opt.put("innerFactor", s.innerFactor());
        opt.put("maxOuterSteps", s.maxOuter());
        opt.put("inner", s.extragradientInner() ? "extragradient" : "lbfgs");
        opt.put("maxInner", s.maxInner());
        opt.put("threads", run.threads);
        opt.put("commonPoolParallelism", parallelism);
        for (int i = 0; i < rs.size(); i++) {
            RobustExperiment.Report r = rs.get(i);
            for (RobustExperiment.Score sc : r.baselines()) {
                ObjectNode n = report.run(sc.method());
                n.put("seed", r.seed());
                put(n, sc);
            }
            RobustExperiment.Bilevel b = r.bilevel();
            ObjectNode n = report.run(b.result());
            n.put("seed", r.seed());
            n.put("method", "bilevel");
            n.put("gradientCalls", b.gradientCalls());
            ArrayNode a = n.putArray("learnedShifts");
            for (double v : b.shifts()) {
                a.add(v);
            }
            ArrayNode lv = n.putArray("levels");
            for (int j = 0; j < b.levelRho().length; j++) {
                lv.addObject().put("rho", b.levelRho()[j]).put("gap", b.levelGap()[j]);
            }
            put(n.putObject("retrained"), b.retrained());
            n.put("chosenTau", r.chosenTau());
            n.put("seedSeconds", loads.get(i)[1]);
            n.put("readSeconds", loads.get(i)[0]);
            n.put("loadAverageStart", loads.get(i)[2]);
            n.put("loadAverageEnd", loads.get(i)[3]);
            n.put("seedCpuSeconds", loads.get(i)[4]);
        }
        ArrayNode c = report.root().putArray("checks");
        checks.forEach(c::add);
    }

    private static void put(ObjectNode n, RobustExperiment.Score s) {
        n.put("validationWorstLoss", s.worstValidationLoss());
        n.put("testWorstAccuracy", s.worstTestAccuracy());
        n.put("testAverageAccuracy", s.averageTestAccuracy());
        ArrayNode acc = n.putArray("testAccuracyPerClass");
        for (double v : s.testAccuracy()) {
            acc.add(v);
        }
        ArrayNode vl = n.putArray("validationLossPerClass");
        for (double v : s.validationLosses()) {
            vl.add(v);
        }
        n.put("trainingGradientNorm", s.gradientNorm());
        n.put("trainingGradientCalls", s.gradientCalls());
        n.put("trainingSeconds", s.seconds());
    }

    private static void writeTraces(ReportWriter report, List<RobustExperiment.Report> rs) {
        report.write("trace.csv", os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            boolean header = true;
            for (RobustExperiment.Report r : rs) {
                Trace t = r.bilevel().result().trace();
                if (header) {
                    w.write("seed," + String.join(",", t.columns()) + ",val_worst_lower,val_worst_penalty\n");
                    header = false;
                }
                double[] lw = r.bilevel().lowerWorst();
                double[] pw = r.bilevel().penaltyWorst();
                for (int i = 0; i < t.size(); i++) {
                    double[] row = t.row(i);
                    StringBuilder sb = new StringBuilder(Long.toString(r.seed()));
                    for (double v : row) {
                        sb.append(',').append(v);
                    }
                    int it = (int) row[0] - 1;
                    sb.append(',').append(it >= 0 && it < lw.length ? Double.toString(lw[it]) : "");
                    sb.append(',').append(it >= 0 && it < pw.length ? Double.toString(pw[it]) : "");
                    w.write(sb.append('\n').toString());
                }
            }
            w.flush();
        });
    }

    private static XYChart lossChart(List<RobustExperiment.Report> rs) {
        List<Plots.Series> series = new ArrayList<>();
        for (RobustExperiment.Report r : rs) {
            RobustExperiment.Bilevel b = r.bilevel();
            series.add(new Plots.Series("seed " + r.seed() + ": W*(a)", b.times(),
                    b.lowerWorst(), false));
            series.add(new Plots.Series("seed " + r.seed() + ": penalty W", b.times(), b.penaltyWorst(), true));
            double end = b.times().length == 0 ? 1 : b.times()[b.times().length - 1];
            List<RobustExperiment.Score> ms = methods(r);
            series.add(new Plots.Series("seed " + r.seed() + ": group DRO", new double[] {0, end},
                    new double[] {ms.get(2).worstValidationLoss(), ms.get(2).worstValidationLoss()}, true));
            series.add(new Plots.Series("seed " + r.seed() + ": retrained",
                    new double[] {0, end}, new double[] {ms.get(4).worstValidationLoss(),
                        ms.get(4).worstValidationLoss()}, true));
        }
        XYChart c = Plots.lineChart("Bilevel group DRO: validation worst-class loss against time", "seconds", "validation worst-class cross-entropy", series);
        c.getStyler().setXAxisDecimalPattern("0.#");
        c.getStyler().setYAxisLogarithmic(false);
        c.setYAxisTitle("validation worst-class cross-entropy");
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return c;
    }

    private static XYChart accuracyChart(List<RobustExperiment.Report> rs) {
        List<Plots.Series> series = new ArrayList<>();
        int n = methods(rs.get(0)).size();
        double[] x = new double[ImbalancedSplit.CLASSES];
        for (int k = 0; k < x.length; k++) {
            x[k] = k;
        }
        for (int m = 0; m < n; m++) {
            double[] y = new double[x.length];
            for (RobustExperiment.Report r : rs) {
                double[] acc = methods(r).get(m).testAccuracy();
                for (int k = 0; k < y.length; k++) {
                    y[k] += acc[k] / rs.size();
                }
            }
            RobustExperiment.Score first = methods(rs.get(0)).get(m);
            String name = first.method().startsWith("group DRO tuned") ? "group DRO tuned" : label(first);
            series.add(new Plots.Series(name, x, y, m == n - 1));
        }
        XYChart c = Plots.lineChart("Per-class test accuracy (mean over seeds; minority classes 0, 2, 4, 6)",
                "class", "test accuracy", series);
        c.getStyler().setYAxisLogarithmic(false);
        c.setYAxisTitle("test accuracy");
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        return c;
    }

    /** Number formatting shared with the experiment's labels. */
    static final class RobustExperimentNum {
        private RobustExperimentNum() {
        }

        static String num(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
