package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bilevel4j.apps.perf.BinnoBench;
import org.bilevel4j.apps.perf.MachineFloor;
import org.bilevel4j.apps.perf.RpcaBench;
import org.bilevel4j.cli.report.HeapPages;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.linalg.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j bench}: performance measurements against this machine's floor. {@code binno} measures the
 * memory bandwidth and the dense multiply rate in the same process, then times BINNO iterations and prints, per
 * size, seconds per iteration, the floor {@code max(16 m n / bandwidth, Binno.productFlops(m, n, r) / rate)} and
 * their ratio. {@code rpca} times robust PCA, stable PCP or NMF iterations on the video experiment's matrix of a
 * size. {@code meha} ({@link BenchMehaCommand}) times MEHA on hyper-cleaning.
 *
 * <p>Each subcommand speaks the options of every command ({@code --out}, {@code --force}, {@code --quiet},
 * {@code --seed}, {@code --max-iter}, {@code --threads}; {@link #report}): it prints its table on stdout and
 * writes it, with {@code report.json} (every figure of the table, the machine, the options), into the report
 * folder, staged and moved into place as a whole.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Performance measurements against this machine's floor.",
        subcommands = {BenchCommand.Binno.class, BenchCommand.Rpca.class, BenchMehaCommand.class})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // no subcommand: say what there is
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code bilevel4j bench binno}. */
    @Command(name = "binno", mixinStandardHelpOptions = true,
            description = {"Seconds per BINNO iteration against the machine floor.",
                "Measures the memory bandwidth (a streaming read of a large array on all threads) and the"
                        + " multiply rate (a large square product) in this process, then times BINNO"
                        + " (midpoint weights) on synthetic sparse low-rank data and prints, per size:"
                        + " seconds per iteration (median), the floor max(16 m n bytes / bandwidth,"
                        + " flops / multiply rate) and their ratio, where flops are those of the products"
                        + " with M: 4 m n r + 2 r n^2 for m >= 2n (the lower candidate's product from M^T M,"
                        + " formed once in iteration n / r + 1, which the warm-up includes), else 6 m n r."})
    public static final class Binno implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--sizes", split = ",", defaultValue = "small,large", converter = SizeConverter.class,
                paramLabel = "SIZE", description = "Sizes to time, comma-separated: demo (100 x 80, r = 5), small (2304 x 50,"
                        + " r = 9), traffic (2304 x 51, r = 9), escalator (20800 x 198, r = 9), large"
                        + " (76800 x 500, r = 10). Default: ${DEFAULT-VALUE}.")
        List<BinnoBench.Size> sizes;

        @Option(names = {"--max-iter", "--iterations"}, defaultValue = "0", paramLabel = "N",
                description = "Timed iterations per size, after the warm-up (at least 1; --iterations is its older"
                        + " name). Default: 2000 demo, 200 small, 400 traffic, 60 escalator, 15 large.")
        int iterations;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Seed of the data and the"
                + " start; the same seed gives the same matrices. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--gemm-size", defaultValue = "" + MachineFloor.DEFAULT_GEMM_SIZE, paramLabel = "S",
                description = "Side of the square product that measures the multiply rate. Default: ${DEFAULT-VALUE}.")
        int gemmSize;

        @Option(names = "--bandwidth-mib", defaultValue = "256", paramLabel = "MIB",
                description = "Size of the array read to measure the bandwidth, MiB. Default: ${DEFAULT-VALUE}.")
        int bandwidthMib;

        @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
        Integer threads;

        @Mixin
        ReportOptions reportOptions;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench-binno",
                description = "Report folder: report.json and table.txt. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Override
        public Integer call() throws IOException {
            checkIterations(spec, iterations);
            if (gemmSize < 1) {
                throw new ParameterException(spec.commandLine(), "--gemm-size must be positive, got " + gemmSize);
            }
            if (24.0 * gemmSize * gemmSize > Runtime.getRuntime().maxMemory() / 2.0) {
                throw new ParameterException(spec.commandLine(), "--gemm-size must be at most "
                        + (long) Math.sqrt(Runtime.getRuntime().maxMemory() / 48.0) + " (three S x S matrices in half"
                        + " the max heap), got " + gemmSize);
            }
            checkBandwidth(spec, bandwidthMib);
            return report(spec, reportOptions, out, threads, "bench binno", w -> {
                BinnoBench.Report r = BinnoBench.run(List.copyOf(sizes), iterations, seed,
                        (long) bandwidthMib << 20, gemmSize, progress(spec, reportOptions));
                w.seed(seed);
                ObjectNode o = w.options();
                ArrayNode names = o.putArray("sizes");
                sizes.forEach(z -> names.add(z.label()));
                o.put("maxIter", iterations);
                o.put("gemmSize", gemmSize);
                o.put("bandwidthMib", bandwidthMib);
                o.put("threads", threads);
                machine(w, r.machine(), r.loadBefore(), r.loadAfter(), r.contended());
                for (BinnoBench.Row row : r.rows()) {
                    ObjectNode n = w.run("binno (midpoint weights)");
                    n.put("size", row.size());
                    n.put("m", row.m());
                    n.put("n", row.n());
                    n.put("r", row.r());
                    n.put("iterations", row.iterations());
                    n.put("secondsPerIteration", row.secondsPerIteration());
                    n.put("minSecondsPerIteration", row.minSecondsPerIteration());
                    n.put("floorSeconds", row.floorSeconds());
                    n.put("ratio", row.ratio());
                }
                return table(r);
            });
        }
    }

    /** {@code bilevel4j bench rpca}. */
    @Command(name = "rpca", mixinStandardHelpOptions = true,
            description = {"Seconds per robust PCA iteration on the video experiment's matrix.",
                "Generates a synthetic clip (textured background, moving discs) of the size, corrupts it by the"
                        + " BINNO paper's protocol (rank-9 L0, 5%% of the entries get 0.33 sign |L0|), and times"
                        + " robust PCA iterations (inexact ALM, partial SVD while the predicted rank is small)."
                        + " Prints seconds per iteration (median), the singular triplets each SVT computed, and"
                        + " the iteration in streaming passes over M (8 m n bytes at the measured bandwidth)."})
    public static final class Rpca implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--size", defaultValue = "large", paramLabel = "SIZE",
                description = "small (48 x 48 pixels, 50 frames: 2304 x 50), traffic (48 x 48, 51 frames:"
                        + " 2304 x 51), escalator (130 x 160, 198 frames: 20800 x 198) or large (320 x 240, 500"
                        + " frames: 76800 x 500). Default: ${DEFAULT-VALUE}.")
        String size;

        @Option(names = "--method", defaultValue = "rpca", paramLabel = "METHOD",
                description = "rpca (robust PCA), pcp (stable PCP) or nmf (NMF, rank 9), each with its"
                        + " defaults. Default: ${DEFAULT-VALUE}.")
        String method;

        @Option(names = {"--max-iter", "--iterations"}, defaultValue = "0", paramLabel = "N",
                description = "Timed iterations, after the warm-up (at least 1; --iterations is its older name)."
                        + " Default: 5 small, 40 traffic, 10 escalator, 4 large.")
        int iterations;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Seed of the clip and the"
                + " corruption; the same seed gives the same matrix. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--bandwidth-mib", defaultValue = "256", paramLabel = "MIB",
                description = "Size of the array read to measure the bandwidth, MiB. Default: ${DEFAULT-VALUE}.")
        int bandwidthMib;

        @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
        Integer threads;

        @Mixin
        ReportOptions reportOptions;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench-rpca",
                description = "Report folder: report.json and table.txt. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Override
        public Integer call() throws IOException {
            RpcaBench.Size s;
            try {
                s = RpcaBench.Size.of(size);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--size: " + e.getMessage());
            }
            RpcaBench.Method meth;
            try {
                meth = RpcaBench.Method.of(method);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--method: " + e.getMessage());
            }
            checkIterations(spec, iterations);
            checkBandwidth(spec, bandwidthMib);
            return report(spec, reportOptions, out, threads, "bench rpca", w -> {
                RpcaBench.Row row = RpcaBench.run(s, meth, iterations, seed, (long) bandwidthMib << 20,
                        progress(spec, reportOptions));
                w.seed(seed);
                ObjectNode o = w.options();
                o.put("size", s.label());
                o.put("method", meth.label());
                o.put("maxIter", iterations);
                o.put("bandwidthMib", bandwidthMib);
                o.put("threads", threads);
                ObjectNode m = w.machine();
                m.put("bandwidthGBs", row.bandwidthGBs());
                m.put("loadBefore", row.loadBefore());
                m.put("loadAfter", row.loadAfter());
                m.put("contended", row.contended());
                ObjectNode n = w.run(meth.description());
                n.put("size", row.size());
                n.put("m", row.m());
                n.put("n", row.n());
                n.put("iterations", row.seconds().length);
                n.put("secondsPerIteration", row.secondsPerIteration());
                n.put("cpuSecondsPerIteration", row.cpuSecondsPerIteration());
                n.put("passSeconds", row.passSeconds());
                n.put("passes", row.passes());
                ArrayNode each = n.putArray("seconds");
                for (double x : row.seconds()) {
                    each.add(x);
                }
                ArrayNode triplets = n.putArray("triplets");
                for (int t : row.triplets()) {
                    triplets.add(t);
                }
                return table(s, meth, row);
            });
        }

        /** The lines the command prints. */
        private static List<String> table(RpcaBench.Size s, RpcaBench.Method meth, RpcaBench.Row row) {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "%s iteration, %d processors", meth.description(),
                    Runtime.getRuntime().availableProcessors()));
            out.add(String.format(Locale.ROOT, "kernels: %s", Gemm.kernels()));
            out.add("heap pages: " + HeapPages.describe());
            out.add(String.format(Locale.ROOT, "%-9s %6s %5s %10s %10s %15s %10s %8s", "size", "m", "n", "s/iter",
                    "CPU s/iter", "bandwidth GB/s", "pass s", "passes"));
            out.add(String.format(Locale.ROOT, "%-9s %6d %5d %10.4g %10.4g %15.1f %10.4g %8.1f", row.size(), row.m(),
                    row.n(), row.secondsPerIteration(), row.cpuSecondsPerIteration(), row.bandwidthGBs(),
                    row.passSeconds(), row.passes()));
            StringBuilder each = new StringBuilder();
            int shown = Math.min(row.seconds().length, 12);
            for (int i = 0; i < shown; i++) {
                each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g s (%d triplets)",
                        row.seconds()[i], row.triplets()[i]));
            }
            if (shown < row.seconds().length) {
                each.append(", ...");
            }
            out.add(String.format(Locale.ROOT, "s/iter: median of %d iterations after a warm-up of at least %d"
                    + " iterations and %.0f s: %s", row.seconds().length, s.warmup(), BinnoBench.WARMUP_SECONDS, each));
            out.add("CPU s/iter: CPU time of the JVM's threads over the timed iterations, per iteration; pass s ="
                    + " 8 m n bytes / bandwidth (one streaming read of M); passes = s/iter / pass s");
            if (row.contended()) {
                out.add(String.format(Locale.ROOT, "note: load average %.1f -> %.1f on %d processors: other work"
                        + " competed for the machine, so timings are noisy", row.loadBefore(), row.loadAfter(),
                        Runtime.getRuntime().availableProcessors()));
            }
            return out;
        }
    }

    /**
     * The part every benchmark shares with the other commands: checks {@code --threads} and {@code --out} before any
     * work, applies {@code --threads}, runs the benchmark, prints its lines on stdout (none with {@code --quiet}) and
     * writes them to {@value ReportWriter#TABLE_FILE} beside {@code report.json}, staged and moved into place as a
     * whole.
     *
     * @param spec the subcommand
     * @param options its {@code --force} and {@code --quiet}
     * @param out its {@code --out}
     * @param threads its {@code --threads}, null when not given
     * @param command the command's name in {@code report.json}
     * @param work runs the benchmark, fills the report and returns the lines to print
     * @return the exit code, 0
     * @throws IOException if the report cannot be written
     */
    static int report(CommandSpec spec, ReportOptions options, Path out, Integer threads, String command,
            Function<ReportWriter, List<String>> work) throws IOException {
        RunOptions.requireThreads(threads);
        try (OutputDir dir = options.prepare(out)) {
            RunOptions.applyThreads(threads);
            ReportWriter w = new ReportWriter(dir, command, spec.commandLine().getParseResult().originalArgs());
            List<String> lines = work.apply(w);
            w.table(lines);
            Path where = w.finish();
            PrintWriter o = options.stdout(spec);
            lines.forEach(o::println);
            o.println("report: " + where);
            o.flush();
        }
        return 0;
    }

    /** @return where a benchmark's progress lines go: stderr, or nowhere with {@code --quiet} */
    static Consumer<String> progress(CommandSpec spec, ReportOptions options) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            if (!options.quiet) {
                err.println(line);
                err.flush();
            }
        };
    }

    /** Records the floor's measurement and the machine's load under {@code machine} in the report. */
    private static void machine(ReportWriter w, MachineFloor.Measurement m, double loadBefore, double loadAfter,
            boolean contended) {
        ObjectNode n = w.machine();
        n.put("backend", m.backend());
        n.put("threads", m.threads());
        n.put("bandwidthGBs", m.bandwidthGBs());
        n.put("bandwidthBytes", m.bandwidthBytes());
        n.put("gemmGflops", m.gemmGflops());
        n.put("gemmSize", m.gemmSize());
        n.put("loadBefore", loadBefore);
        n.put("loadAfter", loadAfter);
        n.put("contended", contended);
    }

    /** The lines of {@code bench binno}'s table. */
    static List<String> table(BinnoBench.Report report) {
        List<String> out = new ArrayList<>();
        MachineFloor.Measurement machine = report.machine();
        out.add(String.format(Locale.ROOT, "BINNO iteration against the machine floor: %s, %d processors",
                machine.backend(), report.processors()));
        out.add(String.format(Locale.ROOT, "kernels: %s", Gemm.kernels()));
        out.add("heap pages: " + HeapPages.describe());
        out.add(String.format(Locale.ROOT, "%-9s %6s %5s %3s %10s %15s %13s %10s %6s", "size", "m", "n", "r",
                "s/iter", "bandwidth GB/s", "GEMM GFLOP/s", "floor s", "ratio"));
        for (BinnoBench.Row row : report.rows()) {
            out.add(String.format(Locale.ROOT, "%-9s %6d %5d %3d %10.4g %15.1f %13.1f %10.4g %6.2f", row.size(),
                    row.m(), row.n(), row.r(), row.secondsPerIteration(), row.bandwidthGBs(), row.gemmGflops(),
                    row.floorSeconds(), row.ratio()));
        }
        out.add(String.format(Locale.ROOT, "floor = max(16 m n bytes / bandwidth, flops / GEMM rate), flops 4 m n r"
                + " + 2 r n^2 for m >= 2n, else 6 m n r; bandwidth: best %d MiB read on %d %s; GEMM: best %d^2"
                + " product; s/iter: median of %s iterations after at least n / r + 1 (M^T M formed) and "
                + (int) BinnoBench.WARMUP_SECONDS + " s", machine.bandwidthBytes() >> 20, machine.threads(),
                machine.threads() == 1 ? "thread" : "threads", machine.gemmSize(),
                report.rows().stream().map(r -> Integer.toString(r.iterations())).distinct()
                        .reduce((a, b) -> a + "/" + b).orElse("0")));
        for (BinnoBench.Row row : report.rows()) {
            out.add(String.format(Locale.ROOT, "%s: fastest iteration %.4g s (ratio %.2f)", row.size(),
                    row.minSecondsPerIteration(), row.minSecondsPerIteration() / row.floorSeconds()));
        }
        if (report.contended()) {
            out.add(String.format(Locale.ROOT, "note: load average %.1f -> %.1f on %d processors: other work competed"
                    + " for the machine, so timings are noisy", report.loadBefore(), report.loadAfter(),
                    report.processors()));
        }
        return out;
    }

    /** Converts a size name. */
    static final class SizeConverter implements ITypeConverter<BinnoBench.Size> {
        @Override
        public BinnoBench.Size convert(String value) {
            return BinnoBench.Size.of(value);
        }
    }

    /** @return whether the option was given on the command line (0 given is refused; left out, it picks the default) */
    static boolean given(CommandSpec spec, String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Refuses a timed iteration count below 1 (0 left out picks each size's default).
     *
     * @throws ParameterException for a negative count, or 0 given on the command line
     */
    static void checkIterations(CommandSpec spec, int iterations) {
        if (iterations < 0 || (iterations == 0 && given(spec, "--max-iter"))) {
            throw new ParameterException(spec.commandLine(), "--max-iter (--iterations) must be at least 1, got "
                    + iterations);
        }
    }

    /** Refuses a bandwidth array below 1 MiB or above half the max heap. */
    static void checkBandwidth(CommandSpec spec, int mib) {
        long most = Runtime.getRuntime().maxMemory() / 2 >> 20;
        if (mib < 1 || mib > most) {
            throw new ParameterException(spec.commandLine(), "--bandwidth-mib must be between 1 and " + most
                    + " (half the max heap), got " + mib);
        }
    }
}
