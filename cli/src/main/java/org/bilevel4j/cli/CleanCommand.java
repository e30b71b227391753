package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.cleaning.CleaningDataset;
import org.bilevel4j.apps.cleaning.HyperCleaning;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.solver.meha.BomeOptions;
import org.bilevel4j.solver.meha.MehaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bilevel4j clean}: data hyper-cleaning with MEHA, BOME and the sanity baselines. */
@Command(name = "clean", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Data hyper-cleaning: learn one weight per training sample (labels corrupted) so that a"
            + " classifier trained on the weighted data does well on a clean validation set. Prints test accuracy,"
            + " F1 of clean-sample detection (x_i >= 0 means clean), seconds and iterations, the accuracy of a"
            + " classifier retrained on the learned weights, and plots validation loss, test accuracy and F1"
            + " against time."},
        footer = {"", "Data: --dataset fashion-mnist or mnist is looked up under the data root (--data, else"
            + " BILEVEL4J_DATA, else ../shared/data); any other value is a folder of IDX files. A folder without"
            + " training images has its test file split 5000 / 2500 / 2500.",
            "Exit codes: 0 success, 2 bad usage or input (a missing, corrupted or truncated IDX file), 1 internal"
                + " failure."})
public final class CleanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "fashion-mnist|mnist|DIR",
            description = "The data set.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "The data root holding fashion-mnist/ and mnist/.")
    Path dataRoot;

    @Option(names = "--corruption", defaultValue = "0.5", paramLabel = "F",
            description = "Fraction of training labels corrupted. Default: ${DEFAULT-VALUE}.")
    double corruption;

    @Option(names = "--method", defaultValue = "meha", split = ",", paramLabel = "M",
            description = "meha, bome, clean-only, all-data, or several separated by commas, or all."
                    + " Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the split and the corruption. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-iter", paramLabel = "N",
            description = "Iterations (MEHA 2500, BOME 500, L-BFGS budget of the baselines 1000 by default).")
    Integer maxIter;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
    Integer threads;

    @Option(names = "--eval-every", defaultValue = "50", paramLabel = "N",
            description = "Evaluate test accuracy and F1 every N iterations (not counted in the time)."
                    + " Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--ridge", defaultValue = "1e-3", paramLabel = "R",
            description = "Ridge weight of the lower level. Default: ${DEFAULT-VALUE}.")
    double ridge;

    @Option(names = "--train", defaultValue = "5000", paramLabel = "N", description = "Training samples.")
    int train;

    @Option(names = "--val", paramLabel = "N",
            description = "Validation samples. Default: 5000, or 2500 when the test file is split.")
    Integer val;

    @Option(names = "--test", defaultValue = "0", paramLabel = "N",
            description = "Test samples; 0: the whole test file (or what the split leaves). Default: ${DEFAULT-VALUE}.")
    int test;

    @Option(names = "--fit-iter", defaultValue = "1000", paramLabel = "N",
            description = "L-BFGS budget of the retraining on the learned weights. Default: ${DEFAULT-VALUE}.")
    int fitIter;

    @Option(names = "--alpha", paramLabel = "A", description = "MEHA's x step (default 1000).")
    Double alpha;

    @Option(names = "--beta", paramLabel = "B", description = "MEHA's y step (default 0.03).")
    Double beta;

    @Option(names = "--eta", paramLabel = "E", description = "MEHA's theta step (default 0.001).")
    Double eta;

    @Option(names = "--inv-gamma", paramLabel = "G", description = "MEHA's 1/gamma (default 0.01).")
    Double invGamma;

    @Option(names = "--c0", paramLabel = "C", description = "MEHA's c0 (default 0.2).")
    Double c0;

    @Option(names = "--p", paramLabel = "P", description = "MEHA's p (default 0.25).")
    Double p;

    @Option(names = "--bome-step-x", paramLabel = "S", description = "BOME's x step (default 3000).")
    Double bomeStepX;

    @Option(names = "--bome-step-y", paramLabel = "S", description = "BOME's y step (default 0.1).")
    Double bomeStepY;

    @Option(names = "--bome-inner-step", paramLabel = "S", description = "BOME's inner step (default 0.03).")
    Double bomeInnerStep;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (checkpoints, plots, report.json). Default: out/clean-DATASET.")
    Path out;

    @Option(names = "--precision", defaultValue = "double", paramLabel = "double|single",
            description = {"Format of the training and validation products. single stores the data in binary32 and"
                + " sums in it, as a float32 implementation computes: products about twice as fast (softmax, losses and"
                + " iterates stay double). Default: ${DEFAULT-VALUE}."})
    String precision;

    @Mixin
    ReportOptions reportOptions;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = reportOptions.stdout(spec);
        List<HyperCleaning.Method> ms;
        CleaningDataset data;
        MehaOptions meha;
        BomeOptions bome;
        Precision prec;
        try {
            ms = parseMethods();
            prec = Precision.parse(precision);
            if (evalEvery < 1 || fitIter < 1 || (maxIter != null && maxIter < 1)) {
                throw new IllegalArgumentException("--eval-every, --fit-iter and --max-iter must be at least 1");
            }
            RunOptions.requireThreads(threads);
            RunOptions.applyThreads(threads);
            Checks.between("--corruption", corruption, 0, 1);
            Checks.nonnegative("--ridge", ridge);
            Checks.atLeast("--train", train, 1, Integer.MAX_VALUE);
            Checks.atLeast("--val", val, 1, Integer.MAX_VALUE);
            Checks.atLeast("--test", test, 0, Integer.MAX_VALUE);
            Checks.positive("--alpha", alpha);
            Checks.positive("--beta", beta);
            Checks.positive("--eta", eta);
            Checks.positive("--inv-gamma", invGamma);
            Checks.positive("--c0", c0);
            Checks.positive("--p", p);
            Checks.positive("--bome-step-x", bomeStepX);
            Checks.positive("--bome-step-y", bomeStepY);
            Checks.positive("--bome-inner-step", bomeInnerStep);
            meha = mehaOptions();
            bome = bomeOptions();
            Path folder = CleaningDataset.resolve(dataset, dataRoot);
            int v = val != null ? val : CleaningDataset.defaultValidation(folder);
            data = CleaningDataset.load(folder, new CleaningDataset.Protocol(train, v, test, corruption, seed));
        } catch (InputException e) {
            throw e;
        } catch (IllegalArgumentException | IdxFormatException | NoSuchFileException e) {
            err.println("bilevel4j: error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println("bilevel4j: error: cannot read the data: " + e.getMessage());
            err.flush();
            return 2;
        }
        Path target = out != null ? out : Path.of("out", "clean-" + data.name());
        // refused now (exit 2) if --out cannot receive the report; written all at once at the end
        try (OutputDir dir = OutputDir.prepare(target, reportOptions.force)) {
            run(dir, data, ms, meha, bome, prec, o);
        }
        o.println("wrote " + target.resolve("test-accuracy-vs-time.png") + ", validation-loss-vs-time.png,"
                + " f1-vs-time.png, checkpoints and report.json");
        o.flush();
        return 0;
    }

    private void run(OutputDir dir, CleaningDataset data, List<HyperCleaning.Method> ms, MehaOptions meha,
            BomeOptions bome, Precision prec, PrintWriter o) throws IOException {
        ReportWriter report = new ReportWriter(dir, "clean", spec.commandLine().getParseResult().originalArgs());
        for (String note : data.notes()) {
            o.println(note);
        }
        o.flush();
        List<HyperCleaning.Report> reports = new ArrayList<>();
        for (HyperCleaning.Method m : ms) {
            HyperCleaning.Settings s = HyperCleaning.Settings.standard(m).withEvalEvery(evalEvery).withRidge(ridge)
                    .withFitIterations(fitIter).withMeha(meha).withBome(bome).withPrecision(prec);
            if (maxIter != null) {
                s = s.withMaxIterations(maxIter);
            }
            if (!reportOptions.quiet) {
                o.println();
                o.println(header(m, s) + (prec == Precision.SINGLE ? "; products in single precision" : ""));
                o.println(String.format("  %6s %9s %9s %9s %7s", "iter", "seconds", "val loss", "test acc", "F1"));
                o.flush();
            }
            HyperCleaning.Report r = HyperCleaning.run(data, s, reportOptions.quiet ? null : c -> {
                o.println(String.format(Locale.ROOT, "  %6d %9.2f %9.4f %9.4f %7s", c.iteration(), c.seconds(),
                        c.validationLoss(), c.testAccuracy(), Double.isNaN(c.f1()) ? "-" : String.format(Locale.ROOT,
                                "%.4f", c.f1())));
                o.flush();
            });
            reports.add(r);
            writeCheckpoints(dir.file(m.label() + "-checkpoints.csv"), r);
        }
        o.println();
        for (String line : table(reports)) {
            o.println(line);
        }
        o.flush();
        writePlots(dir, data.name(), reports);
        describe(report, data, reports, meha, bome, prec);
        report.finish();
    }

    private List<HyperCleaning.Method> parseMethods() {
        Set<HyperCleaning.Method> set = new LinkedHashSet<>();
        for (String s : methods) {
            if (s.equalsIgnoreCase("all")) {
                set.addAll(List.of(HyperCleaning.Method.values()));
            } else {
                set.add(HyperCleaning.Method.parse(s.strip()));
            }
        }
        return new ArrayList<>(set);
    }

    private MehaOptions mehaOptions() {
        MehaOptions.Builder b = HyperCleaning.mehaDefaults().toBuilder();
        if (alpha != null) {
            b.alpha(alpha);
        }
        if (beta != null) {
            b.beta(beta);
        }
        if (eta != null) {
            b.eta(eta);
        }
        if (invGamma != null) {
            b.inverseGamma(invGamma);
        }
        if (c0 != null) {
            b.c0(c0);
        }
        if (p != null) {
            b.p(p);
        }
        return b.build();
    }

    private BomeOptions bomeOptions() {
        BomeOptions d = HyperCleaning.bomeDefaults();
        return new BomeOptions(d.innerSteps(), bomeInnerStep != null ? bomeInnerStep : d.innerStep(),
                bomeStepX != null ? bomeStepX : d.stepX(), bomeStepY != null ? bomeStepY : d.stepY(), d.eta());
    }

    private static String header(HyperCleaning.Method m, HyperCleaning.Settings s) {
        return switch (m) {
            case MEHA -> String.format(Locale.ROOT, "meha: %d iterations, ridge %s; %s", s.maxIterations(),
                    num(s.ridge()), MehaCommand.Toy.describeMeha(s.meha()));
            case BOME -> String.format(Locale.ROOT, "bome: %d iterations, ridge %s; T = %d, inner step %s, steps x %s,"
                    + " y %s, eta = %s", s.maxIterations(), num(s.ridge()), s.bome().innerSteps(),
                    num(s.bome().innerStep()), num(s.bome().stepX()), num(s.bome().stepY()), num(s.bome().eta()));
            case CLEAN_ONLY -> String.format(Locale.ROOT, "clean-only: L-BFGS on the clean training samples only,"
                    + " ridge %s, at most %d iterations", num(s.ridge()), s.maxIterations());
            case ALL_DATA -> String.format(Locale.ROOT, "all-data: L-BFGS on all noisy training samples unweighted,"
                    + " ridge %s, at most %d iterations", num(s.ridge()), s.maxIterations());
        };
    }

    private static String num(double v) {
        return MehaCommand.Toy.num(v);
    }

    static List<String> table(List<HyperCleaning.Report> reports) {
        List<String> l = new ArrayList<>();
        l.add(String.format("%-11s %10s %9s %8s %9s %7s %9s %14s  %s", "method", "iterations", "seconds", "ms/iter",
                "test acc", "F1", "val loss", "retrained acc", "stop"));
        for (HyperCleaning.Report r : reports) {
            l.add(String.format(Locale.ROOT, "%-11s %10d %9.2f %8.2f %9.4f %7s %9.4f %14s  %s", r.method().label(),
                    r.iterations(), r.seconds(), r.millisPerIteration(), r.testAccuracy(),
                    Double.isNaN(r.f1()) ? "-" : String.format(Locale.ROOT, "%.4f", r.f1()), r.validationLoss(),
                    Double.isNaN(r.retrainedAccuracy()) ? "-"
                            : String.format(Locale.ROOT, "%.4f", r.retrainedAccuracy()),
                    r.stopReason()));
        }
        return l;
    }

    private static void writeCheckpoints(Path file, HyperCleaning.Report r) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("iteration,seconds,validation_loss,test_accuracy,f1\n");
            for (HyperCleaning.Checkpoint c : r.checkpoints()) {
                w.write(c.iteration() + "," + c.seconds() + "," + c.validationLoss() + "," + c.testAccuracy() + ","
                        + (Double.isNaN(c.f1()) ? "" : Double.toString(c.f1())) + "\n");
            }
        }
    }

    private static void writePlots(OutputDir dir, String name, List<HyperCleaning.Report> reports)
            throws IOException {
        List<MehaCharts.Curve> loss = new ArrayList<>();
        List<MehaCharts.Curve> acc = new ArrayList<>();
        List<MehaCharts.Curve> f1 = new ArrayList<>();
        for (HyperCleaning.Report r : reports) {
            int n = r.checkpoints().size();
            double[] t = new double[n];
            double[] vl = new double[n];
            double[] ta = new double[n];
            double[] f = new double[n];
            for (int i = 0; i < n; i++) {
                HyperCleaning.Checkpoint c = r.checkpoints().get(i);
                t[i] = c.seconds();
                vl[i] = c.validationLoss();
                ta[i] = c.testAccuracy();
                f[i] = c.f1();
            }
            boolean markers = n <= 60;
            loss.add(new MehaCharts.Curve(r.method().label(), t, vl, markers));
            acc.add(new MehaCharts.Curve(r.method().label(), t, ta, markers));
            if (!Double.isNaN(r.f1())) {
                f1.add(new MehaCharts.Curve(r.method().label(), t, f, markers));
            }
        }
        MehaCharts.write(dir.file("validation-loss-vs-time.png"), name + ": validation loss", "seconds",
                "validation cross-entropy", false, loss);
        MehaCharts.write(dir.file("test-accuracy-vs-time.png"), name + ": test accuracy", "seconds",
                "test accuracy", false, acc);
        MehaCharts.write(dir.file("f1-vs-time.png"), name + ": F1 of clean-sample detection", "seconds", "F1",
                false, f1);
    }

    /** Fills report.json: the options, the data set's notes and one entry per method. */
    private void describe(ReportWriter report, CleaningDataset data, List<HyperCleaning.Report> reports,
            MehaOptions meha, BomeOptions bome, Precision prec) {
        report.seed(seed);
        ObjectNode opt = report.options();
        opt.put("dataset", dataset);
        opt.put("corruption", corruption);
        opt.put("ridge", ridge);
        opt.put("precision", prec.label());
        opt.put("meha", meha.toString());
        opt.put("bome", bome.toString());
        ArrayNode notes = report.root().putArray("notes");
        data.notes().forEach(notes::add);
        for (HyperCleaning.Report r : reports) {
            ObjectNode m = report.run(r.method().label());
            m.put("iterations", r.iterations());
            m.put("seconds", r.seconds());
            m.put("millisPerIteration", r.millisPerIteration());
            m.put("stopReason", r.stopReason().toString());
            m.put("testAccuracy", r.testAccuracy());
            m.put("f1", MehaCommand.Toy.finiteOrNull(r.f1()));
            m.put("validationLoss", r.validationLoss());
            m.put("retrainedAccuracy", MehaCommand.Toy.finiteOrNull(r.retrainedAccuracy()));
            m.put("retrainIterations", r.retrainIterations());
        }
    }

}
