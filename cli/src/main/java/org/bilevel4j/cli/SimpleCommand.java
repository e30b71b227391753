package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Report;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Row;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Upper;
import org.bilevel4j.apps.toys.CircleQuartic;
import org.bilevel4j.apps.toys.CircleToy;
import org.bilevel4j.apps.toys.CircleToyExperiment;
import org.bilevel4j.apps.toys.CircleToyExperiment.Run;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.solver.Trace;
import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bilevel4j simple}: the simple bilevel experiments of the DBGD method page (Cao, Jiang,
 * Hamedani, Mokhtari, arXiv:2507.23155): {@code toy} (the two-dimensional circle toy, Figure 1) and
 * {@code mf} (symmetric matrix factorization with sparsity upper levels, Figure 2). A thin layer over
 * {@link CircleToyExperiment} and {@link SymmetricFactorizationExperiment}: it prints the table and
 * writes {@code table.csv}, {@code table.md} and the figures as PNG into {@code --out}.
 */
@Command(name = "simple", mixinStandardHelpOptions = true,
        description = "Simple bilevel optimization (min f over argmin g): DBGD against the penalty method and BLOOP.",
        subcommands = {SimpleCommand.Toy.class, SimpleCommand.Mf.class})
public final class SimpleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: give toy or mf");
    }

    /** {@code simple toy}: the circle toy, both cases, three starts. */
    @Command(name = "toy", mixinStandardHelpOptions = true,
            description = {"The 2-D toy: min 1/2||x - c||^2 over argmin 1/4(||x||^2 - 1)^2, c = (2,0) (case II) and"
                + " c = (1,0) (case I), from three starts; DBGD against the penalty method (step eta/gamma) and BLOOP.",
                "Writes table.csv, table.md, trajectories-case-I[I].png and diagnostics-case-I[I].png."})
    static final class Toy implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "bilevel4j-simple-toy",
                description = "Report folder. Default: ${DEFAULT-VALUE} (in the working directory).")
        Path out;

        @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
        Integer threads;

        @Option(names = "--max-iter", paramLabel = "N", defaultValue = "30000", description = RunOptions.MAX_ITER_HELP)
        int maxIter;

        @CommandLine.Mixin
        ReportOptions report;

        @Option(names = "--eta", description = "step size (default: ${DEFAULT-VALUE})", defaultValue = "0.02")
        double eta;

        @Option(names = "--beta", split = ",", description = "DBGD barrier weights (default: ${DEFAULT-VALUE})",
                defaultValue = "1")
        List<Double> betas;

        @Option(names = "--gamma", split = ",", description = "penalty weights (default: ${DEFAULT-VALUE})",
                defaultValue = "1,10,100")
        List<Double> gammas;

        @Option(names = "--lam", split = ",", description = "BLOOP weights (default: ${DEFAULT-VALUE})",
                defaultValue = "1")
        List<Double> lams;

        @Option(names = "--eps", description = "stationarity tolerance eps_f = eps_g (default: ${DEFAULT-VALUE})",
                defaultValue = "1e-6")
        double eps;

        @Override
        public Integer call() {
            CircleToyExperiment.Settings paper = CircleToyExperiment.Settings.paper();
            CircleToyExperiment.Settings s;
            RunOptions.requireMaxIter(maxIter);
            RunOptions.requireThreads(threads);
            RunOptions.applyThreads(threads);
            requirePositive("--eta", List.of(eta));
            requirePositive("--beta", betas);
            requirePositive("--gamma", gammas);
            requirePositive("--lam", lams);
            requirePositive("--eps", List.of(eps));
            try {
                s = new CircleToyExperiment.Settings(eta, betas, gammas, lams, paper.starts(), maxIter, eps);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
            PrintWriter pw = spec.commandLine().getOut();
            try (OutputDir dir = report.prepare(out)) {
                long t0 = System.nanoTime();
                List<Run> runs = CircleToyExperiment.run(s);
                ReportWriter rw = new ReportWriter(dir, "simple toy", spec.commandLine().getParseResult().originalArgs());
                ObjectNode opt = rw.options();
                opt.put("maxIterations", maxIter);
                opt.put("eta", eta);
                opt.putPOJO("beta", betas);
                opt.putPOJO("gamma", gammas);
                opt.putPOJO("lam", lams);
                opt.put("eps", eps);
                SimpleOutput.Table table = toyTable(runs, s.eps());
                if (!report.quiet) {
                    pw.print(table.text());
                }
                writeToyFiles(dir, runs, s, table);
                Path where = rw.finish();
                if (!report.quiet) {
                    pw.printf(Locale.ROOT, "%d runs in %.1f s; wrote table.csv, table.md, trajectories-*.png and"
                            + " diagnostics-*.png to %s%n", runs.size(), (System.nanoTime() - t0) * 1e-9,
                            where.toAbsolutePath());
                }
            }
            pw.flush();
            return 0;
        }

        private static void writeToyFiles(OutputDir dir, List<Run> runs, CircleToyExperiment.Settings s,
                SimpleOutput.Table table) {
            SimpleOutput.writeText(dir.file("table.csv"), table.csv());
            SimpleOutput.writeText(dir.file("table.md"), table.markdown());
            for (CircleToy toy : List.of(CircleToy.caseTwo(), CircleToy.caseOne())) {
                String tag = toy.name().replace(' ', '-');
                List<Run> mine = runs.stream().filter(r -> r.toy().equals(toy)).toList();
                List<XYChart> traj = trajectories(toy, mine, s.starts());
                int cols = Math.min(3, traj.size());
                SimpleOutput.writePng(dir.file("trajectories-" + tag + ".png"), traj,
                        (traj.size() + cols - 1) / cols, cols);
                List<XYChart> diag = diagnostics(toy, mine, s.starts());
                SimpleOutput.writePng(dir.file("diagnostics-" + tag + ".png"), diag, s.starts().size(), 4);
            }
        }

        private static SimpleOutput.Table toyTable(List<Run> runs, double eps) {
            SimpleOutput.Table t = new SimpleOutput.Table(List.of("case", "start", "method", "hyperparameter",
                    "||grad g||", "||grad f_perp||", "f", "g", "iterations", "seconds", "stop", "end", "nearest known point",
                    "distance", "(eps_f, eps_g)-stationary"));
            for (Run r : runs) {
                Trace tr = r.result().trace();
                double[] end = r.end();
                t.add(List.of(r.toy().name(), pair(r.start()), r.method(), r.hyperName() + "=" + SimpleOutput.hyper(r.hyper()),
                        SimpleOutput.num(tr.lastValue("grad_g_norm")), SimpleOutput.num(tr.lastValue("grad_f_perp_norm")),
                        SimpleOutput.num(tr.lastValue("f")), SimpleOutput.num(tr.lastValue("g")),
                        Integer.toString(r.result().iterations()), String.format(Locale.ROOT, "%.3f", r.result().seconds()),
                        r.result().stopReason().name(), String.format(Locale.ROOT, "(%.6f, %.6f)", end[0], end[1]),
                        String.format(Locale.ROOT, "(%.6g, %.6g)", r.nearest()[0], r.nearest()[1]),
                        SimpleOutput.num(r.distance()),
                        tr.lastValue("grad_g_norm") <= eps && tr.lastValue("d_norm") <= eps ? "yes" : "no"));
            }
            return t;
        }

        private static void requirePositive(String option, List<Double> values) {
            for (double v : values) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new InputException(option + " must be positive and finite, got " + v);
                }
            }
        }

        private static String pair(double[] p) {
            return "(" + SimpleOutput.hyper(p[0]) + ", " + SimpleOutput.hyper(p[1]) + ")";
        }

        /** One panel per (method, hyperparameter): the paths from every start over circles of g. */
        private static List<XYChart> trajectories(CircleToy toy, List<Run> runs, List<double[]> starts) {
            Map<String, List<Run>> byMethod = new LinkedHashMap<>();
            for (Run r : runs) {
                byMethod.computeIfAbsent(r.method() + " " + r.hyperName() + "=" + SimpleOutput.hyper(r.hyper()),
                        k -> new ArrayList<>()).add(r);
            }
            List<XYChart> charts = new ArrayList<>();
            for (Map.Entry<String, List<Run>> e : byMethod.entrySet()) {
                XYChart c = SimplePlots.chart(toy.name() + ", c = (" + SimpleOutput.hyper(toy.c1()) + ", "
                        + SimpleOutput.hyper(toy.c2()) + "): " + e.getKey(), "x1", "x2", 520, 520, false, false);
                var st = c.getStyler();
                st.setXAxisMin(-2.0);
                st.setXAxisMax(2.2);
                st.setYAxisMin(-2.1);
                st.setYAxisMax(2.1);
                st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
                // contours of the radial g are circles: g = v at radius sqrt(1 +- 2 sqrt(v))
                for (double level : new double[] {0.002, 0.02, 0.08, 0.18, 0.5, 1.0, 2.0}) {
                    for (double radius : CircleQuartic.levelRadii(level)) {
                        SimplePlots.circle(c, "g=" + level + " r=" + radius, radius, new Color(0xc8c8c8), 0.8f);
                    }
                }
                SimplePlots.circle(c, "g=0", 1.0, new Color(0x707070), 1.6f);
                int k = 0;
                for (Run r : e.getValue()) {
                    int[] idx = SimplePlots.decimate(r.path1().length, 1500, 1500);
                    Color col = SimplePlots.COLORS[k % SimplePlots.COLORS.length];
                    SimplePlots.line(c, "from " + pair(r.start()), SimplePlots.pick(r.path1(), idx),
                            SimplePlots.pick(r.path2(), idx), col, false);
                    SimplePlots.point(c, "start " + pair(r.start()), r.start()[0], r.start()[1], col, false);
                    k++;
                }
                double[] sol = toy.solution();
                SimplePlots.point(c, "x* = (" + SimpleOutput.hyper(sol[0]) + ", " + SimpleOutput.hyper(sol[1]) + ")",
                        sol[0], sol[1], Color.BLACK, true);
                SimplePlots.point(c, "c", toy.c1(), toy.c2(), new Color(0x9467bd), true);
                charts.add(c);
            }
            return charts;
        }

        /** One row per start: ||grad g||, ||grad f_perp||, lambda (log-log) and cos(theta) against iteration. */
        private static List<XYChart> diagnostics(CircleToy toy, List<Run> runs, List<double[]> starts) {
            List<XYChart> charts = new ArrayList<>();
            String[][] panels = {{"grad_g_norm", "||grad g||"}, {"grad_f_perp_norm", "||grad f_perp||"},
                {"lambda", "lambda (gamma, lam)"}, {"cos_theta", "cos(theta)"}};
            for (double[] start : starts) {
                for (String[] p : panels) {
                    boolean logY = !p[0].equals("cos_theta");
                    XYChart c = SimplePlots.chart(toy.name() + " from " + pair(start) + ": " + p[1], "iteration", p[1],
                            400, 280, true, logY);
                    c.getStyler().setLegendPosition(logY ? org.knowm.xchart.style.Styler.LegendPosition.InsideSW
                            : org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
                    c.getStyler().setLegendVisible(p[0].equals("grad_g_norm"));
                    int k = 0;
                    for (Run r : runs) {
                        if (!Arrays.equals(r.start(), start)) {
                            continue;
                        }
                        Trace t = r.result().trace();
                        double[] it = t.column("iteration");
                        int[] idx = SimplePlots.decimateLog(it.length, 500);
                        var series = SimplePlots.line(c, r.method() + " " + r.hyperName() + "="
                                + SimpleOutput.hyper(r.hyper()), SimplePlots.pick(it, idx),
                                SimplePlots.pick(t.column(p[0]), idx), SimplePlots.COLORS[k % SimplePlots.COLORS.length],
                                false);
                        if (r.method().equals("penalty")) {
                            SimplePlots.dashed(series);
                        }
                        k++;
                    }
                    SimplePlots.spanDecades(c);
                    charts.add(c);
                }
            }
            return charts;
        }
    }

    /** {@code simple mf}: the symmetric factorization grid and the 5x check. */
    @Command(name = "mf", mixinStandardHelpOptions = true, defaultValueProvider = Mf.Defaults.class,
            description = {"Symmetric factorization min f(U) over argmin 1/4||UU^T - A||_F^2 (n = 20, r = 5,"
                + " A = WW^T and WW^T + I) with smooth-l1 and log sparsity upper levels: DBGD (beta in {0.1, 1, 10})"
                + " against the penalty method (gamma in {0.1, 1, 10, 100}), eta = 1e-2/||A||_2.",
                "Prints the table (median over seeds) and the PASS/FAIL line of the 5x check; writes table.csv (every run),"
                + " summary.csv, table.md, check.txt, metrics-*.png and diagnostics.png."})
    static final class Mf implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "bilevel4j-simple-mf",
                description = "Report folder. Default: ${DEFAULT-VALUE} (in the working directory).")
        Path out;

        @Option(names = "--seeds", paramLabel = "N", description = "Number of seeds: --seed, --seed + 1, ..."
                + " (1 to " + MAX_SEEDS + "). Default: ${DEFAULT-VALUE}.", defaultValue = "5")
        int seeds;

        /** The shared options; the first seed is --seed. */
        @CommandLine.Mixin
        RunOptions run;

        @Option(names = "--trace-every", paramLabel = "N", description = "Trace one row every N iterations (at"
                + " least 1). Default: ${DEFAULT-VALUE}.", defaultValue = "20")
        int traceEvery;

        @Option(names = "--strict", description = "Exit with status 1 when the 5x check fails.")
        boolean strict;

        /** The most seeds of one run. */
        static final int MAX_SEEDS = 1000;

        /** This command's defaults of the shared options: first seed 0, 20000 iterations, one thread. */
        static final class Defaults extends OptionDefaults {
            Defaults() {
                super("--seed", "0", "--max-iter", "20000", "--threads", "1");
            }
        }

        @Override
        public Integer call() {
            SymmetricFactorizationExperiment.Settings s;
            run.validate();
            if (seeds < 1 || seeds > MAX_SEEDS) {
                throw new InputException("--seeds must be between 1 and " + MAX_SEEDS + ", got " + seeds);
            }
            if (traceEvery < 1) {
                throw new InputException("--trace-every must be at least 1, got " + traceEvery);
            }
            long seed = run.seed;
            if (seed > Long.MAX_VALUE - (seeds - 1)) {
                throw new InputException("--seed " + seed + " with --seeds " + seeds + " runs past the largest seed, "
                        + Long.MAX_VALUE + ": give --seed at most " + (Long.MAX_VALUE - (seeds - 1)));
            }
            int maxIter = run.maxIter;
            int threads = run.threadCount();
            try {
                List<Long> list = new ArrayList<>();
                for (int i = 0; i < seeds; i++) {
                    list.add(seed + i);
                }
                SymmetricFactorizationExperiment.Settings p = SymmetricFactorizationExperiment.Settings.paper();
                s = new SymmetricFactorizationExperiment.Settings(p.n(), p.r(), maxIter, p.betas(), p.gammas(), list,
                        p.shifts(), p.uppers(), p.etaScale(), p.delta(), traceEvery, p.eps());
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
            PrintWriter pw = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean pass;
            try (OutputDir dir = run.prepare(out)) {
                int total = s.runCount();
                AtomicInteger done = new AtomicInteger();
                long t0 = System.nanoTime();
                int perGroup = s.uppers().size() * (s.betas().size() + s.gammas().size());
                Report report = SymmetricFactorizationExperiment.run(s, threads, row -> {
                    int k = done.incrementAndGet();
                    if (!run.quiet && k % perGroup == 0) {
                        synchronized (err) {
                            err.printf(Locale.ROOT, "[%d/%d runs] %.1f s%n", k, total, (System.nanoTime() - t0) * 1e-9);
                            err.flush();
                        }
                    }
                });
                ReportWriter rw = new ReportWriter(dir, "simple mf", spec.commandLine().getParseResult().originalArgs());
                rw.seed(seed);
                ObjectNode opt = rw.options();
                opt.put("seeds", seeds);
                opt.put("maxIterations", maxIter);
                opt.put("threads", threads);
                opt.put("traceEvery", traceEvery);
                SimpleOutput.Table summary = summaryTable(report.rows());
                String check = report.check().summary();
                rw.root().put("check", check);
                rw.root().put("pass", report.check().pass());
                if (!run.quiet) {
                    pw.print(summary.text());
                    pw.println(check);
                    pw.printf(Locale.ROOT, "%d runs of %d iterations in %.1f s (%d thread%s)%n", total, s.iterations(),
                            report.seconds(), threads, threads == 1 ? "" : "s");
                }
                SimpleOutput.writeText(dir.file("table.csv"), fullTable(report.rows()).csv());
                SimpleOutput.writeText(dir.file("summary.csv"), summary.csv());
                SimpleOutput.writeText(dir.file("table.md"), summary.markdown());
                SimpleOutput.writeText(dir.file("check.txt"), check + "\n");
                for (double shift : s.shifts()) {
                    String a = Row.aLabel(shift);
                    List<XYChart> charts = metricCharts(report.rows(), shift, s.uppers());
                    SimpleOutput.writePng(dir.file("metrics-" + a.replace("^", "").replace("+", "p") + ".png"), charts,
                            4, s.uppers().size());
                }
                SimpleOutput.writePng(dir.file("diagnostics.png"), diagnostics(report.rows(), seed, s),
                        s.shifts().size(), 2 * s.uppers().size());
                Path where = rw.finish();
                if (!run.quiet) {
                    pw.println("wrote table.csv, summary.csv, table.md, check.txt, metrics-*.png and diagnostics.png"
                            + " to " + where.toAbsolutePath());
                }
                pass = report.check().pass();
            }
            pw.flush();
            return strict && !pass ? 1 : 0;
        }

        private static SimpleOutput.Table fullTable(List<Row> rows) {
            SimpleOutput.Table t = new SimpleOutput.Table(List.of("seed", "A", "upper", "method", "hyperparameter", "value",
                    "eta", "grad_g_norm", "grad_f_perp_norm", "f", "g", "g_star", "lambda", "d_norm", "best_grad_g_norm",
                    "iterations", "seconds", "stop"));
            for (Row r : rows) {
                t.add(List.of(Long.toString(r.seed()), r.aLabel(), r.upper().label(), r.method(), r.hyperName(),
                        SimpleOutput.hyper(r.hyper()), SimpleOutput.full(r.eta()), SimpleOutput.full(r.gradGNorm()),
                        SimpleOutput.full(r.gradFPerpNorm()), SimpleOutput.full(r.f()), SimpleOutput.full(r.g()),
                        SimpleOutput.full(r.gStar()), SimpleOutput.full(r.lambda()), SimpleOutput.full(r.dNorm()),
                        SimpleOutput.full(r.bestGradGNorm()), Integer.toString(r.iterations()),
                        String.format(Locale.ROOT, "%.4f", r.seconds()), r.stopReason().name()));
            }
            return t;
        }

        /** Groups rows by (A, upper, method, hyperparameter), in order. */
        private static Map<String, List<Row>> groups(List<Row> rows) {
            Map<String, List<Row>> m = new LinkedHashMap<>();
            for (Row r : rows) {
                m.computeIfAbsent(r.aLabel() + "|" + r.upper().label() + "|" + r.method() + "|" + r.hyper(),
                        k -> new ArrayList<>()).add(r);
            }
            return m;
        }

        private static SimpleOutput.Table summaryTable(List<Row> rows) {
            SimpleOutput.Table t = new SimpleOutput.Table(List.of("A", "upper", "method", "hyperparameter",
                    "||grad g|| median", "||grad g|| min..max", "||grad f_perp||", "f", "g", "g - g*", "iterations",
                    "seconds/run"));
            for (List<Row> g : groups(rows).values()) {
                Row r0 = g.get(0);
                double[] gg = g.stream().mapToDouble(Row::gradGNorm).toArray();
                t.add(List.of(r0.aLabel(), r0.upper().label(), r0.method(), r0.hyperName() + "=" + SimpleOutput.hyper(r0.hyper()),
                        SimpleOutput.num(median(gg)),
                        SimpleOutput.num(Arrays.stream(gg).min().orElseThrow()) + ".."
                                + SimpleOutput.num(Arrays.stream(gg).max().orElseThrow()),
                        SimpleOutput.num(median(g.stream().mapToDouble(Row::gradFPerpNorm).toArray())),
                        SimpleOutput.num(median(g.stream().mapToDouble(Row::f).toArray())),
                        SimpleOutput.num(median(g.stream().mapToDouble(Row::g).toArray())),
                        SimpleOutput.num(median(g.stream().mapToDouble(r -> r.g() - r.gStar()).toArray())),
                        Integer.toString((int) median(g.stream().mapToDouble(Row::iterations).toArray())),
                        String.format(Locale.ROOT, "%.3f", g.stream().mapToDouble(Row::seconds).average().orElse(0))));
            }
            return t;
        }

        static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        /** Final metric against the hyperparameter: DBGD (beta) and penalty (gamma), medians and every seed. */
        private static List<XYChart> metricCharts(List<Row> rows, double shift, List<Upper> uppers) {
            String[][] metrics = {{"||grad g||", "gradGNorm"}, {"||grad f_perp||", "perp"}, {"f (sparsity)", "f"},
                {"g - g* (reconstruction)", "g"}};
            List<XYChart> charts = new ArrayList<>();
            for (String[] m : metrics) {
                for (Upper u : uppers) {
                    XYChart c = SimplePlots.chart("A = " + Row.aLabel(shift) + ", " + u.label() + ": final " + m[0],
                            "beta (DBGD) / gamma (penalty)", m[0], 520, 360, true, !m[1].equals("f"));
                    c.getStyler().setLegendVisible(m[1].equals("gradGNorm"));
                    int k = 0;
                    for (String method : List.of("DBGD", "penalty")) {
                        Color col = SimplePlots.COLORS[k++];
                        List<Double> hx = new ArrayList<>();
                        List<Double> med = new ArrayList<>();
                        List<Double> ax = new ArrayList<>();
                        List<Double> ay = new ArrayList<>();
                        for (List<Row> g : groups(rows).values()) {
                            Row r0 = g.get(0);
                            if (r0.shift() != shift || r0.upper() != u || !r0.method().equals(method)) {
                                continue;
                            }
                            double[] vals = g.stream().mapToDouble(r -> metric(r, m[1])).toArray();
                            hx.add(r0.hyper());
                            med.add(median(vals));
                            for (double v : vals) {
                                ax.add(r0.hyper());
                                ay.add(v);
                            }
                        }
                        if (hx.isEmpty()) {
                            continue;
                        }
                        var series = SimplePlots.line(c, method + " (median over seeds)", toArray(hx), toArray(med), col,
                                true);
                        if (method.equals("penalty")) {
                            SimplePlots.dashed(series);
                        }
                        SimplePlots.dots(c, method + " seeds", toArray(ax), toArray(ay), col);
                    }
                    SimplePlots.spanDecades(c);
                    charts.add(c);
                }
            }
            return charts;
        }

        private static double metric(Row r, String name) {
            return switch (name) {
                case "gradGNorm" -> r.gradGNorm();
                case "perp" -> r.gradFPerpNorm();
                case "f" -> r.f();
                default -> r.g() - r.gStar();
            };
        }

        private static double[] toArray(List<Double> l) {
            return l.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** ||grad g|| and ||grad f_perp|| against iteration for the first seed: rows A, columns upper x measure. */
        private static List<XYChart> diagnostics(List<Row> rows, long seed,
                SymmetricFactorizationExperiment.Settings s) {
            List<XYChart> charts = new ArrayList<>();
            for (double shift : s.shifts()) {
                for (Upper u : s.uppers()) {
                    for (String[] p : new String[][] {{"grad_g_norm", "||grad g||"},
                        {"grad_f_perp_norm", "||grad f_perp||"}}) {
                        XYChart c = SimplePlots.chart("seed " + seed + ", A = " + Row.aLabel(shift) + ", " + u.label()
                                + ": " + p[1], "iteration", p[1], 480, 360, true, true);
                        c.getStyler().setLegendVisible(p[0].equals("grad_g_norm"));
                        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
                        int k = 0;
                        for (Row r : rows) {
                            if (r.seed() != seed || r.shift() != shift || r.upper() != u) {
                                continue;
                            }
                            Trace t = r.trace();
                            double[] it = t.column("iteration");
                            int[] idx = SimplePlots.decimateLog(it.length, 500);
                            var series = SimplePlots.line(c, r.method() + " " + r.hyperName() + "="
                                    + SimpleOutput.hyper(r.hyper()), SimplePlots.pick(it, idx),
                                    SimplePlots.pick(t.column(p[0]), idx),
                                    SimplePlots.COLORS[k % SimplePlots.COLORS.length], false);
                            if (r.method().equals("penalty")) {
                                SimplePlots.dashed(series);
                            }
                            k++;
                        }
                        SimplePlots.spanDecades(c);
                        charts.add(c);
                    }
                }
            }
            return charts;
        }
    }
}
