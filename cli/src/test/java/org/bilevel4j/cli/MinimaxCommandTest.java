package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MinimaxCommandTest {

    /** Runs {@code bilevel4j minimax ARGS} through the main command line. */
    private static CliRunner.Run run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "minimax";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(all);
    }

    @Test
    void printsTheSolutionErrorGapCallsAndSeconds() {
        CliRunner.Run r = run("--problem", "T2", "--rho", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("problem T2: bilinear lower level", "rho = 100, eps = 0.005",
                "solution   (x1=[1.49", "reference  (x1=[1.50000]", "error (x1, y1, y2) = ", "lower-level gap = ",
                "gradient calls = ", "seconds = ", "stop: CONVERGED");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void outWritesReportSummaryTraceAndAPlotOfTheSweep(@TempDir Path dir) throws IOException {
        CliRunner.Run r = run("--problem", "T1", "--rho", "100", "--sweep", "10,100", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("rho sweep on T1:", "wrote " + dir.resolve("minimax-T1.png"));
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.get("runs").get(0).get("error").asDouble()).isLessThan(1e-2);
        assertThat(report.get("sweepRuns")).hasSize(2);
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertThat(summary).hasSize(3);
        assertThat(summary.get(1)).startsWith("T1,false,10.0,");
        assertThat(Files.readAllLines(dir.resolve("trace-T1.csv")).get(0)).startsWith("iteration,seconds,level,rho");
        byte[] png = Files.readAllBytes(dir.resolve("minimax-T1.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(png.length).isLessThan(200_000);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void stochasticRunsOnFiniteSumT1AndCountsComponentGradients(@TempDir Path dir) {
        CliRunner.Run r = run("--problem", "T1", "--stochastic", "--rho", "30", "--batch", "10", "--budget", "200000",
                "--seed", "2", "--sweep", "30", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("stochastic penalty minimax, rho = 30", "minibatch 10, seed 2",
                "component-gradient calls = ");
        assertThat(dir.resolve("minimax-T1-stochastic.png")).exists();
        assertThat(dir.resolve("summary-stochastic.csv")).exists();
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"--problem", "T9"},
            {"--problem", "T1", "--rho", "-1"},
            {"--problem", "T1", "--rho", "0"},
            {"--problem", "T1", "--eps", "0"},
            {"--problem", "T1", "--eps", "-0.1"},
            {"--problem", "T2", "--stochastic"},
            {"--problem", "all", "--stochastic"},
            {"--problem", "T1", "--stochastic", "--batch", "0"},
            {"--problem", "T1", "--sweep", "10,-5", "--out", "unused"},
        };
        for (String[] args : bad) {
            CliRunner.Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("bilevel4j: error: ");
            assertThat(r.err().strip()).as(String.join(" ", args)).doesNotContain("\n");
            assertThat(r.out()).isEmpty();
        }
        assertThat(run("--problem", "T9").err()).contains("--problem", "unknown problem 'T9'");
        assertThat(run("--problem", "T1", "--rho", "-1").err()).contains("--rho must be finite and positive");
        assertThat(run("--problem", "T1", "--eps", "0").err()).contains("eps must be positive");
        // picocli rejects what it cannot parse with its own usage error (exit code 2)
        assertThat(run("--problem", "T1", "--rho", "abc").code()).isEqualTo(2);
        assertThat(run("--rho", "10").code()).isEqualTo(2);
    }

    @Test
    void callThrowsInputExceptionNamingTheOptionForTheMainToMap() {
        // the command line layer checks --rho itself (issue 16), so the message names the option and its range;
        // Main maps InputException to one line and exit code 2
        MinimaxCommand c = new MinimaxCommand();
        new CommandLine(c).parseArgs("--problem", "T3", "--rho", "-2");
        assertThatThrownBy(c::call).isInstanceOf(InputException.class)
                .hasMessage("--rho must be finite and positive, got -2.0");
        CliRunner.Run r = run("--problem", "T3", "--rho", "-2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("bilevel4j: error: --rho must be finite and positive, got -2.0");
        assertThat(r.out()).isEmpty();
    }
}
