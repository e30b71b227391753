package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

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
    void binnoPrintsTheTableAndWritesItWithEveryFigureToTheReport() throws IOException {
        Path out0 = dir.resolve("binno");
        Run r = new Run("binno", "--sizes", "small", "--max-iter", "3", "--gemm-size", "120", "--bandwidth-mib",
                "8", "--threads", "1", "--out", out0.toString());
        assertThat(r.code).as(r.err.toString()).isZero();
        String out = r.out.toString();
        assertThat(r.err.toString()).as("progress on stderr").contains("timing small");
        // the printed table is the report's table.txt, followed by where the report is
        List<String> table = Files.readAllLines(out0.resolve("table.txt"));
        assertThat(out.lines().toList()).isEqualTo(concat(table, "report: " + out0));
        JsonNode rep = new ObjectMapper().readTree(out0.resolve("report.json").toFile());
        assertThat(rep.path("command").asText()).isEqualTo("bench binno");
        assertThat(rep.path("seed").asLong()).isEqualTo(7);
        assertThat(rep.path("options").path("maxIter").asInt()).isEqualTo(3);
        assertThat(rep.path("options").path("threads").asInt()).isEqualTo(1);
        assertThat(rep.path("files").toString()).contains("table.txt", "report.json");
        JsonNode run = rep.path("runs").get(0);
        assertThat(run.path("size").asText()).isEqualTo("small");
        assertThat(run.path("iterations").asInt()).isEqualTo(3);
        assertThat(run.path("ratio").asDouble()).isCloseTo(run.path("secondsPerIteration").asDouble()
                / run.path("floorSeconds").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
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
    void rpcaPrintsSecondsPerIterationAndPasses() throws IOException {
        Path out0 = dir.resolve("rpca");
        // --iterations: the older name of --max-iter
        Run r = new Run("rpca", "--size", "small", "--iterations", "3", "--bandwidth-mib", "8", "--out",
                out0.toString());
        assertThat(r.code).as(r.err.toString()).isZero();
        String out = r.out.toString();
        assertThat(out.lines().toList()).isEqualTo(concat(Files.readAllLines(out0.resolve("table.txt")),
                "report: " + out0));
        JsonNode run = new ObjectMapper().readTree(out0.resolve("report.json").toFile()).path("runs").get(0);
        assertThat(run.path("seconds")).hasSize(3);
        assertThat(run.path("passes").asDouble()).isCloseTo(run.path("secondsPerIteration").asDouble()
                / run.path("passSeconds").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
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
    void quietPrintsNothingAndStillWritesTheReport() throws IOException {
        Path out0 = dir.resolve("quiet");
        Run r = new Run("rpca", "--size", "small", "--max-iter", "2", "--bandwidth-mib", "8", "--quiet", "--out",
                out0.toString());
        assertThat(r.code).as(r.err.toString()).isZero();
        assertThat(r.out.toString()).isEmpty();
        assertThat(r.err.toString()).isEmpty();
        assertThat(Files.readString(out0.resolve("table.txt"))).contains("robust PCA", "passes");
        assertThat(out0.resolve("report.json")).exists();
    }

    @Test
    void aFolderThatHoldsAUsersFileIsRefusedBeforeAnyWorkUnlessForce() throws IOException {
        Path out0 = dir.resolve("theirs");
        Files.createDirectories(out0);
        Files.writeString(out0.resolve("notes.txt"), "mine");
        CliRunner.Run r = CliRunner.run("bench", "binno", "--sizes", "demo", "--max-iter", "2", "--out",
                out0.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--out", "is not empty").doesNotContain("timing", "measuring");
        assertThat(Files.readString(out0.resolve("notes.txt"))).isEqualTo("mine");
        CliRunner.Run forced = CliRunner.run("bench", "binno", "--sizes", "demo", "--max-iter", "2", "--gemm-size",
                "100", "--bandwidth-mib", "8", "--quiet", "--force", "--out", out0.toString());
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(out0.resolve("notes.txt")).doesNotExist();
        assertThat(out0.resolve("table.txt")).exists();
    }

    private static List<String> concat(List<String> a, String last) {
        List<String> l = new java.util.ArrayList<>(a);
        l.add(last);
        return l;
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
        assertThat(r.err.toString()).contains("--max-iter (--iterations) must be at least 1, got -1");
    }

    @Test
    void benchAloneShowsItsSubcommands() {
        Run r = new Run();
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.toString()).contains("binno");
    }
}
