package org.bilevel4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.perf.BinnoBench;
import org.bilevel4j.apps.perf.MachineFloor;
import org.bilevel4j.apps.perf.RpcaBench;
import org.bilevel4j.linalg.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j bench}: performance measurements against this machine's floor. Its one
 * subcommand, {@code binno}, measures the memory bandwidth and the dense multiply rate in the
 * same process, then times BINNO iterations and prints, per size, seconds per iteration, the
 * floor {@code max(16 m n / bandwidth, Binno.productFlops(m, n, r) / rate)} and their ratio. {@code rpca} times
 * robust PCA iterations (inexact ALM with its partial SVD) on the video experiment's matrix of the
 * same size.
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

        @Option(names = "--iterations", defaultValue = "0", paramLabel = "N",
                description = "Timed iterations per size (default: 2000 demo, 200 small, 400 traffic, 60"
                        + " escalator, 15 large).")
        int iterations;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of the data and the start. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--gemm-size", defaultValue = "" + MachineFloor.DEFAULT_GEMM_SIZE, paramLabel = "S",
                description = "Side of the square product that measures the multiply rate. Default: ${DEFAULT-VALUE}.")
        int gemmSize;

        @Option(names = "--bandwidth-mib", defaultValue = "256", paramLabel = "MIB",
                description = "Size of the array read to measure the bandwidth, MiB. Default: ${DEFAULT-VALUE}.")
        int bandwidthMib;

        @Option(names = "--quiet", description = "No progress lines on stderr.")
        boolean quiet;

        @Override
        public Integer call() {
            if (iterations < 0 || (iterations == 0 && given(spec, "--iterations"))) {
                throw new ParameterException(spec.commandLine(), "--iterations must be positive, got " + iterations);
            }
            if (gemmSize < 1) {
                throw new ParameterException(spec.commandLine(), "--gemm-size must be positive, got " + gemmSize);
            }
            if (24.0 * gemmSize * gemmSize > Runtime.getRuntime().maxMemory() / 2.0) {
                throw new ParameterException(spec.commandLine(), "--gemm-size must be at most "
                        + (long) Math.sqrt(Runtime.getRuntime().maxMemory() / 48.0) + " (three S x S matrices in half"
                        + " the max heap), got " + gemmSize);
            }
            checkBandwidth(spec, bandwidthMib);
            PrintWriter err = spec.commandLine().getErr();
            BinnoBench.Report report = BinnoBench.run(List.copyOf(sizes), iterations, seed,
                    (long) bandwidthMib << 20, gemmSize, line -> {
                        if (!quiet) {
                            err.println(line);
                            err.flush();
                        }
                    });
            print(report, spec.commandLine().getOut());
            return 0;
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

        @Option(names = "--iterations", defaultValue = "0", paramLabel = "N",
                description = "Timed iterations after the warm-up (default: 5 small, 40 traffic, 10 escalator,"
                        + " 4 large).")
        int iterations;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of the clip and the corruption. Default:"
                + " ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--bandwidth-mib", defaultValue = "256", paramLabel = "MIB",
                description = "Size of the array read to measure the bandwidth, MiB. Default: ${DEFAULT-VALUE}.")
        int bandwidthMib;

        @Option(names = "--quiet", description = "No progress lines on stderr.")
        boolean quiet;

        @Override
        public Integer call() {
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
            if (iterations < 0 || (iterations == 0 && given(spec, "--iterations"))) {
                throw new ParameterException(spec.commandLine(), "--iterations must be positive, got " + iterations);
            }
            checkBandwidth(spec, bandwidthMib);
            PrintWriter err = spec.commandLine().getErr();
            RpcaBench.Row row = RpcaBench.run(s, meth, iterations, seed, (long) bandwidthMib << 20, line -> {
                if (!quiet) {
                    err.println(line);
                    err.flush();
                }
            });
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s iteration, %d processors%n", meth.description(),
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "kernels: %s%n", Gemm.kernels());
            out.printf(Locale.ROOT, "%-9s %6s %5s %10s %10s %15s %10s %8s%n", "size", "m", "n", "s/iter",
                    "CPU s/iter", "bandwidth GB/s", "pass s", "passes");
            out.printf(Locale.ROOT, "%-9s %6d %5d %10.4g %10.4g %15.1f %10.4g %8.1f%n", row.size(), row.m(), row.n(),
                    row.secondsPerIteration(), row.cpuSecondsPerIteration(), row.bandwidthGBs(), row.passSeconds(),
                    row.passes());
            StringBuilder each = new StringBuilder();
            int shown = Math.min(row.seconds().length, 12);
            for (int i = 0; i < shown; i++) {
                each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g s (%d triplets)",
                        row.seconds()[i], row.triplets()[i]));
            }
            if (shown < row.seconds().length) {
                each.append(", ...");
            }
            out.printf(Locale.ROOT, "s/iter: median of %d iterations after a warm-up of at least %d iterations and %.0f"
                    + " s: %s%n", row.seconds().length, s.warmup(), BinnoBench.WARMUP_SECONDS, each);
            out.printf(Locale.ROOT, "CPU s/iter: CPU time of the JVM's threads over the timed iterations, per iteration; pass s ="
                    + " 8 m n bytes / bandwidth (one streaming read of M); passes = s/iter / pass s%n");
            if (row.contended()) {
                out.printf(Locale.ROOT, "note: load average %.1f -> %.1f on %d processors: other work competed for"
                        + " the machine, so timings are noisy%n", row.loadBefore(), row.loadAfter(),
                        Runtime.getRuntime().availableProcessors());
            }
            out.flush();
            return 0;
        }
    }

    /** Prints the table of a report. */
    static void print(BinnoBench.Report report, PrintWriter out) {
        MachineFloor.Measurement machine = report.machine();
        out.printf(Locale.ROOT, "BINNO iteration against the machine floor: %s, %d processors%n", machine.backend(),
                report.processors());
        out.printf(Locale.ROOT, "kernels: %s%n", Gemm.kernels());
        out.printf(Locale.ROOT, "%-9s %6s %5s %3s %10s %15s %13s %10s %6s%n", "size", "m", "n", "r", "s/iter",
                "bandwidth GB/s", "GEMM GFLOP/s", "floor s", "ratio");
        for (BinnoBench.Row row : report.rows()) {
            out.printf(Locale.ROOT, "%-9s %6d %5d %3d %10.4g %15.1f %13.1f %10.4g %6.2f%n", row.size(), row.m(),
                    row.n(), row.r(), row.secondsPerIteration(), row.bandwidthGBs(), row.gemmGflops(),
                    row.floorSeconds(), row.ratio());
        }
        out.printf(Locale.ROOT, "floor = max(16 m n bytes / bandwidth, flops / GEMM rate), flops 4 m n r + 2 r n^2 for"
                + " m >= 2n, else 6 m n r; bandwidth: best"
                + " %d MiB read on %d threads; GEMM: best %d^2 product; s/iter: median of %s iterations after at"
                + " least n / r + 1 (M^T M formed) and " + (int) BinnoBench.WARMUP_SECONDS + " s%n",
                machine.bandwidthBytes() >> 20, machine.threads(), machine.gemmSize(),
                report.rows().stream().map(r -> Integer.toString(r.iterations())).distinct()
                        .reduce((a, b) -> a + "/" + b).orElse("0"));
        for (BinnoBench.Row row : report.rows()) {
            out.printf(Locale.ROOT, "%s: fastest iteration %.4g s (ratio %.2f)%n", row.size(),
                    row.minSecondsPerIteration(), row.minSecondsPerIteration() / row.floorSeconds());
        }
        if (report.contended()) {
            out.printf(Locale.ROOT, "note: load average %.1f -> %.1f on %d processors: other work competed for"
                    + " the machine, so timings are noisy%n", report.loadBefore(), report.loadAfter(),
                    report.processors());
        }
        out.flush();
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

    /** Refuses a bandwidth array below 1 MiB or above half the max heap. */
    static void checkBandwidth(CommandSpec spec, int mib) {
        long most = Runtime.getRuntime().maxMemory() / 2 >> 20;
        if (mib < 1 || mib > most) {
            throw new ParameterException(spec.commandLine(), "--bandwidth-mib must be between 1 and " + most
                    + " (half the max heap), got " + mib);
        }
    }
}
