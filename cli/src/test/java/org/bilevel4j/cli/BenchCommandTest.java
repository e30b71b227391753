package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static final class Run {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code;

        Run(String... args) {
            CommandLine cl = new CommandLine(new BenchCommand());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            code = cl.execute(args);
        }
    }

    @Test
    void binnoPrintsTheTable() {
        Run r = new Run("binno", "--sizes", "small", "--iterations", "3", "--gemm-size", "120", "--bandwidth-mib",
                "8", "--quiet");
        assertThat(r.code).as(r.err.toString()).isZero();
        String out = r.out.toString();
        assertThat(out).contains("size", "s/iter", "bandwidth GB/s", "GEMM GFLOP/s", "floor s", "ratio");
        String row = out.lines().filter(l -> l.startsWith("small")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");
        assertThat(f).hasSize(9);
        assertThat(f[1]).isEqualTo("2304");
        assertThat(f[2]).isEqualTo("50");
        assertThat(f[3]).isEqualTo("9");
        double seconds = Double.parseDouble(f[4]);
        double floor = Double.parseDouble(f[7]);
        double ratio = Double.parseDouble(f[8]);
        assertThat(seconds).isPositive();
        assertThat(floor).isPositive();
        // the table prints the ratio with two decimals and the times with four significant digits
        double expected = seconds / floor;
        assertThat(ratio).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.005 + 1e-3 * expected));
    }

    @Test
    void rpcaPrintsSecondsPerIterationAndPasses() {
        Run r = new Run("rpca", "--size", "small", "--iterations", "3", "--bandwidth-mib", "8", "--quiet");
        assertThat(r.code).as(r.err.toString()).isZero();
        String out = r.out.toString();
        assertThat(out).contains("robust PCA", "s/iter", "passes", "median of 3 iterations", "triplets");
        String row = out.lines().filter(l -> l.startsWith("small")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");
        assertThat(f).hasSize(8);
        assertThat(f[1]).isEqualTo("2304");
        assertThat(f[2]).isEqualTo("50");
        double seconds = Double.parseDouble(f[3]);
        double pass = Double.parseDouble(f[6]);
        double passes = Double.parseDouble(f[7]);
        assertThat(seconds).isPositive();
        assertThat(Double.parseDouble(f[4])).as("CPU seconds").isPositive();
        // one pass is 8 m n bytes at the bandwidth, which is printed to 0.05 GB/s and the pass to 4 digits
        double bandwidth = Double.parseDouble(f[5]);
        double expectedPass = 8.0 * 2304 * 50 / (bandwidth * 1e9);
        assertThat(pass).isCloseTo(expectedPass,
                org.assertj.core.data.Offset.offset(expectedPass * (0.05 / (bandwidth - 0.05) + 1e-3)));
        assertThat(passes).isCloseTo(seconds / pass, org.assertj.core.data.Offset.offset(0.05 + 1e-3 * passes));
    }

    @Test
    void rpcaUnknownSizeIsAUsageError() {
        Run r = new Run("rpca", "--size", "huge");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.toString()).contains("huge", "small", "large");
        assertThat(r.out.toString()).isEmpty();
    }

    @Test
    void unknownSizeIsAUsageError() {
        Run r = new Run("binno", "--sizes", "small,huge");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.toString()).contains("huge").contains("small").contains("large");
        assertThat(r.out.toString()).isEmpty();
    }

    @Test
    void negativeIterationsIsAUsageError() {
        Run r = new Run("binno", "--iterations", "-1");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.toString()).contains("--iterations");
    }

    @Test
    void benchAloneShowsItsSubcommands() {
        Run r = new Run();
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.toString()).contains("binno");
    }
}
