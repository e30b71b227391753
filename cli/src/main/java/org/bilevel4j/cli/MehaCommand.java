package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.toys.ToyProblem;
import org.bilevel4j.apps.toys.ToyRun;
import org.bilevel4j.apps.toys.ToyRunner;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.solver.meha.Bome;
import org.bilevel4j.solver.meha.BomeOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bilevel4j meha}: MEHA on the synthetic problems of its paper. */
@Command(name = "meha", mixinStandardHelpOptions = true, subcommands = MehaCommand.Toy.class,
        description = "MEHA (Moreau envelope, single loop, Hessian free) for general bilevel problems.")
public final class MehaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: toy");
    }

    /** {@code bilevel4j meha toy}: MEHA and BOME side by side on a toy with a known solution. */
    @Command(name = "toy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs MEHA and BOME side by side on a synthetic problem of the MEHA paper with a known"
                + " solution, prints the iterations and seconds to reach the tolerance, and plots the relative"
                + " errors against iteration and time. No solver sees the solution: a listener reads the iterate"
                + " after each step."},
            footer = {"", "Problems: merely-convex (n = 10), nonconvex (n in 1, 10, 50, 100, 200), l1 (n = 1000,"
                + " even).", "Each solver first runs up to 3000 iterations unmeasured, to warm the JIT up.",
                "Exit codes: 0 success, 2 bad usage or input, 1 internal failure."})
    public static final class Toy implements Callable<Integer> {

        /** Unmeasured iterations of each solver before the measured runs. */
        static final int WARMUP_ITERATIONS = 3000;

        @Spec
        CommandSpec spec;

        @Option(names = "--problem", required = true, paramLabel = "NAME",
                description = "merely-convex, nonconvex or l1.")
        String problem;

        @Option(names = "--dim", paramLabel = "N", description = "Dimension n. Default: the method page's.")
        Integer dim;

        @Option(names = "--max-iter", paramLabel = "N",
                description = "Iterations of each solver. Default: 1000, 30000, 15000 by problem.")
        Integer maxIter;

        @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
        Integer threads;

        @Option(names = "--tol", defaultValue = "1e-2", paramLabel = "T",
                description = "Tolerance of the relative error. Default: ${DEFAULT-VALUE}.")
        double tol;

        @Option(names = "--steps", defaultValue = "working", paramLabel = "working|scripts",
                description = "MEHA's step sizes: the method page's working settings or the authors' scripts'."
                        + " Default: ${DEFAULT-VALUE}.")
        String steps;

        @Option(names = "--weight", defaultValue = "inverse", paramLabel = "inverse|direct",
                description = "Weight of F: 1/c_k (inverse, the paper) or c_k (direct, the scripts)."
                        + " Default: ${DEFAULT-VALUE}.")
        String weight;

        @Option(names = "--order", defaultValue = "x-first", paramLabel = "x-first|y-first",
                description = "Update order after the theta step. Default: ${DEFAULT-VALUE}.")
        String order;

        @Option(names = "--theta-start", defaultValue = "y", paramLabel = "y|zero",
                description = "Start of theta. Default: ${DEFAULT-VALUE}.")
        String thetaStart;

        @Option(names = "--c0", paramLabel = "C", description = "Override MEHA's c0.")
        Double c0;

        @Option(names = "--bome-inner", defaultValue = "10", paramLabel = "T",
                description = "BOME's inner steps T. Default: ${DEFAULT-VALUE}.")
        int bomeInner;

        @Option(names = "--bome-inner-step", defaultValue = "0.5", paramLabel = "S",
                description = "BOME's inner step. Default: ${DEFAULT-VALUE}.")
        double bomeInnerStep;

        @Option(names = "--bome-step", defaultValue = "0.5", paramLabel = "S",
                description = "BOME's outer step. Default: ${DEFAULT-VALUE}.")
        double bomeStep;

        @Option(names = "--bome-eta", defaultValue = "0.5", paramLabel = "E",
                description = "BOME's barrier rate eta. Default: ${DEFAULT-VALUE}.")
        double bomeEta;

        @Option(names = "--no-bome", description = "Run MEHA alone.")
        boolean noBome;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Output folder (traces, plots, report.json). Default: out/meha-toy-PROBLEM-nN.")
        Path out;

        @Mixin
        ReportOptions reportOptions;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            ToyProblem toy;
            MehaOptions meha;
            BomeOptions bome;
            int n;
            int iters;
            try {
                toy = ToyProblem.parse(problem);
                n = dim != null ? dim : toy.defaultDim();
                iters = maxIter != null ? maxIter : toy.defaultIterations();
                RunOptions.requireThreads(threads);
                RunOptions.applyThreads(threads);
                if (iters < 1) {
                    throw new IllegalArgumentException("--max-iter must be at least 1, got " + iters);
                }
                if (!(tol > 0)) {
                    throw new IllegalArgumentException("--tol must be positive, got " + tol);
                }
                Checks.atLeast("--dim", dim, 1, 1_000_000);
                Checks.positive("--tol", tol);
                Checks.positive("--c0", c0);
                Checks.atLeast("--bome-inner", bomeInner, 1, 1_000_000);
                Checks.positive("--bome-inner-step", bomeInnerStep);
                Checks.positive("--bome-step", bomeStep);
                Checks.nonnegative("--bome-eta", bomeEta);
                meha = mehaOptions(toy);
                bome = new BomeOptions(bomeInner, bomeInnerStep, bomeStep, bomeStep, bomeEta);
            } catch (IllegalArgumentException e) {
                err.println("bilevel4j: error: " + e.getMessage());
                err.flush();
                return 2;
            }
            BilevelProblem p;
            try {
                p = toy.create(n);
            } catch (IllegalArgumentException e) {
                err.println("bilevel4j: error: --dim: " + e.getMessage());
                err.flush();
                return 2;
            }
            Path dir = out != null ? out : Path.of("out", "meha-toy-" + toy.label() + "-n" + n);
            // refused now (exit 2) if --out cannot receive the report; written all at once at the end
            OutputDir folder = OutputDir.prepare(dir, reportOptions.force);
            // warm the JIT up on both solvers first (unmeasured), so that neither pays it in its seconds
            int warm = Math.min(iters, WARMUP_ITERATIONS);
            ToyRunner.run(toy, p, new Meha(meha), warm, tol);
            if (!noBome) {
                ToyRunner.run(toy, p, new Bome(bome), warm, tol);
            }
            List<ToyRun> runs = new ArrayList<>();
            runs.add(ToyRunner.run(toy, p, new Meha(meha), iters, tol));
            if (!noBome) {
                runs.add(ToyRunner.run(toy, p, new Bome(bome), iters, tol));
            }
            PrintWriter o = reportOptions.stdout(spec);
            List<String> lines = describe(toy, n, meha, bome, runs);
            if (!reportOptions.quiet) {
                lines.forEach(o::println);
            }
            try (folder) {
                ReportWriter report = new ReportWriter(folder, "meha toy",
                        spec.commandLine().getParseResult().originalArgs());
                writeOutputs(folder, report, toy, n, meha, bome, runs);
                report.finish();
            }
            if (!reportOptions.quiet) {
                o.println("wrote " + dir.resolve("errors-vs-iteration.png") + ", errors-vs-time.png, traces and"
                        + " report.json");
            }
            o.flush();
            return 0;
        }

        private MehaOptions mehaOptions(ToyProblem toy) {
            MehaOptions base = switch (steps.toLowerCase(Locale.ROOT)) {
                case "working" -> toy.workingSettings();
                case "scripts" -> toy.scriptSettings();
                default -> throw new IllegalArgumentException("--steps must be working or scripts, got " + steps);
            };
            MehaOptions.Builder b = base.toBuilder();
            b.upperWeight(switch (weight.toLowerCase(Locale.ROOT)) {
                case "inverse" -> MehaOptions.UpperWeight.INVERSE;
                case "direct" -> MehaOptions.UpperWeight.DIRECT;
                default -> throw new IllegalArgumentException("--weight must be inverse or direct, got " + weight);
            });
            b.order(switch (order.toLowerCase(Locale.ROOT)) {
                case "x-first" -> MehaOptions.UpdateOrder.X_FIRST;
                case "y-first" -> MehaOptions.UpdateOrder.Y_FIRST;
                default -> throw new IllegalArgumentException("--order must be x-first or y-first, got " + order);
            });
            b.thetaStart(switch (thetaStart.toLowerCase(Locale.ROOT)) {
                case "y" -> MehaOptions.ThetaStart.FROM_Y;
                case "zero" -> MehaOptions.ThetaStart.ZERO;
                default -> throw new IllegalArgumentException("--theta-start must be y or zero, got " + thetaStart);
            });
            if (c0 != null) {
                b.c0(c0);
            }
            return b.build();
        }

        static String describeMeha(MehaOptions m) {
            return String.format(Locale.ROOT, "%s form (%s on F), %s, theta_0 = %s; 1/gamma = %s, eta = %s, c0 = %s,"
                    + " p = %s, alpha = %s, beta = %s",
                    m.upperWeight() == MehaOptions.UpperWeight.INVERSE ? "paper" : "direct",
                    m.upperWeight() == MehaOptions.UpperWeight.INVERSE ? "1/c_k" : "c_k",
                    m.order() == MehaOptions.UpdateOrder.X_FIRST ? "x first" : "y first",
                    m.thetaStart() == MehaOptions.ThetaStart.FROM_Y ? "y_0" : "0", num(1 / m.gamma()), num(m.eta()),
                    num(m.c0()), num(m.p()), num(m.alpha()), num(m.beta()));
        }

        /** @return a short decimal: at most 6 significant digits, no trailing zeros */
        static String num(double v) {
            if (!Double.isFinite(v)) {
                return Double.toString(v);
            }
            return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }

        static List<String> describe(ToyProblem toy, int n, MehaOptions meha, BomeOptions bome, List<ToyRun> runs) {
            List<String> l = new ArrayList<>();
            l.add(String.format(Locale.ROOT, "%s toy, n = %d: %s < %s", toy.label(), n, runs.get(0).criterionName(),
                    num(runs.get(0).tolerance())));
            l.add("MEHA: " + describeMeha(meha));
            String warn = meha.stabilityWarning();
            if (warn != null) {
                l.add("  warning: " + warn);
            }
            l.add(String.format(Locale.ROOT, "BOME: T = %d, inner step %s, outer step %s, eta = %s", bome.innerSteps(),
                    num(bome.innerStep()), num(bome.stepX()), num(bome.eta())));
            l.add("");
            l.add(String.format("%-6s %10s  %-14s %20s %22s %12s %12s%s", "solver", "iterations", "stop",
                    "first below tol", "below tol from", "final x err", "final y err",
                    toy == ToyProblem.L1 ? "  x support" : ""));
            for (ToyRun r : runs) {
                int k = r.xError().length;
                l.add(String.format(Locale.ROOT, "%-6s %10d  %-14s %20s %22s %12.3e %12.3e%s", r.solver(),
                        r.result().iterations(), r.result().stopReason(),
                        at(r.firstReached(), r.secondsFirstReached()), at(r.settledFrom(), r.secondsSettled()),
                        k == 0 ? Double.NaN : r.xError()[k - 1], k == 0 ? Double.NaN : r.yError()[k - 1],
                        r.supportRight() == null ? "" : (r.supportRight() ? "  right" : "  wrong")));
            }
            for (ToyRun r : runs) {
                if (!r.result().ok()) {
                    l.add(r.solver() + ": " + r.result().message());
                }
            }
            return l;
        }

        private static String at(int it, double s) {
            return it < 0 ? "never" : String.format(Locale.ROOT, "it %d, %.4f s", it, s);
        }

        private static void writeOutputs(OutputDir dir, ReportWriter report, ToyProblem toy, int n, MehaOptions meha,
                BomeOptions bome, List<ToyRun> runs) throws IOException {
            List<MehaCharts.Curve> byIt = new ArrayList<>();
            List<MehaCharts.Curve> byTime = new ArrayList<>();
            // the baseline first, so that MEHA's curves are drawn on top of an oscillating BOME
            List<ToyRun> drawOrder = new ArrayList<>(runs);
            java.util.Collections.reverse(drawOrder);
            for (ToyRun r : drawOrder) {
                double[] its = new double[r.iterations().length];
                for (int i = 0; i < its.length; i++) {
                    its[i] = r.iterations()[i];
                }
                boolean isMeha = r.solver().equals("MEHA");
                java.awt.Color cx = isMeha ? new java.awt.Color(0x1f77b4) : new java.awt.Color(44, 160, 44, 120);
                java.awt.Color cy = isMeha ? new java.awt.Color(0xff7f0e) : new java.awt.Color(214, 39, 40, 120);
                byIt.add(new MehaCharts.Curve(r.solver() + " ||x - x*||/||x*||", its, r.xError(), false, cx));
                byIt.add(new MehaCharts.Curve(r.solver() + " ||y - y*||/||y*||", its, r.yError(), false, cy));
                byTime.add(new MehaCharts.Curve(r.solver() + " ||x - x*||/||x*||", r.seconds(), r.xError(), false,
                        cx));
                byTime.add(new MehaCharts.Curve(r.solver() + " ||y - y*||/||y*||", r.seconds(), r.yError(), false,
                        cy));
                report.trace(r.solver().toLowerCase(Locale.ROOT) + "-trace.csv", r.result().trace());
            }
            String title = toy.label() + " toy, n = " + n;
            MehaCharts.write(dir.file("errors-vs-iteration.png"), title, "iteration", "relative error", true, byIt);
            MehaCharts.write(dir.file("errors-vs-time.png"), title, "seconds", "relative error", true, byTime);
            ObjectNode opt = report.options();
            opt.put("problem", toy.label());
            opt.put("dim", n);
            opt.put("criterion", runs.get(0).criterionName());
            opt.put("tolerance", runs.get(0).tolerance());
            opt.put("meha", meha.toString());
            opt.put("bome", bome.toString());
            for (ToyRun r : runs) {
                ObjectNode m = report.run(r.result());
                int k = r.xError().length;
                m.put("firstBelowTolIteration", r.firstReached());
                m.put("firstBelowTolSeconds", finiteOrNull(r.secondsFirstReached()));
                m.put("belowTolFromIteration", r.settledFrom());
                m.put("belowTolFromSeconds", finiteOrNull(r.secondsSettled()));
                m.put("finalXRelErr", k == 0 ? null : finiteOrNull(r.xError()[k - 1]));
                m.put("finalYRelErr", k == 0 ? null : finiteOrNull(r.yError()[k - 1]));
                m.put("xSupportRight", r.supportRight());
            }
        }

        /** @return v, or null (a JSON null) where it is not finite */
        static Double finiteOrNull(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }
}
