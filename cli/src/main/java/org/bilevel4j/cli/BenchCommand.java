package org.bilevel4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.perf.BinnoBench;
import org.bilevel4j.apps.perf.MachineFloor;
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
 * floor {@code max(16 m n / bandwidth, 6 m n r / rate)} and their ratio.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Performance measurements against this machine's floor.",
        subcommands = {BenchCommand.Binno.class, BenchMehaCommand.class})
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
                        + " 6 m n r flops / multiply rate) and their ratio."})
    public static final class Binno implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--sizes", split = ",", defaultValue = "small,large", converter = SizeConverter.class,
                paramLabel = "SIZE", description = "Sizes to time, comma-separated: small (2304 x 50, r = 9),"
                        + " large (76800 x 500, r = 10). Default: ${DEFAULT-VALUE}.")
        List<BinnoBench.Size> sizes;

        @Option(names = "--iterations", defaultValue = "0", paramLabel = "N",
                description = "Timed iterations per size (default: 200 small, 15 large).")
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
            if (iterations < 0) {
                throw new ParameterException(spec.commandLine(), "--iterations must be positive, got " + iterations);
            }
            if (gemmSize < 1) {
                throw new ParameterException(spec.commandLine(), "--gemm-size must be positive, got " + gemmSize);
            }
            if (bandwidthMib < 1) {
                throw new ParameterException(spec.commandLine(), "--bandwidth-mib must be positive, got "
                        + bandwidthMib);
            }
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

    /** Prints the table of a report. */
    static void print(BinnoBench.Report report, PrintWriter out) {
        MachineFloor.Measurement machine = report.machine();
        out.printf(Locale.ROOT, "BINNO iteration against the machine floor: %s, %d processors%n", machine.backend(),
                report.processors());
        out.printf(Locale.ROOT, "%-6s %6s %5s %3s %10s %15s %13s %10s %6s%n", "size", "m", "n", "r", "s/iter",
                "bandwidth GB/s", "GEMM GFLOP/s", "floor s", "ratio");
        for (BinnoBench.Row row : report.rows()) {
            out.printf(Locale.ROOT, "%-6s %6d %5d %3d %10.4g %15.1f %13.1f %10.4g %6.2f%n", row.size(), row.m(),
                    row.n(), row.r(), row.secondsPerIteration(), row.bandwidthGBs(), row.gemmGflops(),
                    row.floorSeconds(), row.ratio());
        }
        out.printf(Locale.ROOT, "floor = max(16 m n bytes / bandwidth, 6 m n r flops / GEMM rate); bandwidth: best"
                + " %d MiB read on %d threads; GEMM: best %d^2 product; s/iter: median of %s iterations%n",
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
}
