package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code simple} commands at small size: exit codes, files, and the printed table. */
class SimpleCommandTest {

    /** Runs {@code bilevel4j simple args...} through {@link Main}, stdout and stderr into {@code captured}. */
    private static int run(ByteArrayOutputStream captured, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "simple";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRunner.Run r = CliRunner.run(all);
        captured.writeBytes((r.out() + r.err()).getBytes(StandardCharsets.UTF_8));
        return r.code();
    }

    @Test
    void toyWritesTableAndFigures(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = run(out, "toy", "--out", dir.toString(), "--max-iter", "400", "--gamma", "10");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("case II", "DBGD", "penalty", "gamma=10", "BLOOP");
        for (String f : new String[] {"table.csv", "table.md", "trajectories-case-II.png", "trajectories-case-I.png",
            "diagnostics-case-II.png", "diagnostics-case-I.png"}) {
            assertThat(dir.resolve(f)).isRegularFile();
            assertThat(Files.size(dir.resolve(f))).isPositive();
        }
        assertThat(Files.readAllLines(dir.resolve("table.csv"))).hasSize(1 + 2 * 3 * 3);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"tool\" : \"bilevel4j\"",
                "\"command\" : \"simple toy\"", "\"table.csv\"");
        // a second run replaces the earlier report as a whole, without --force
        assertThat(run(new ByteArrayOutputStream(), "toy", "--out", dir.toString(), "--max-iter", "300", "--gamma",
                "10", "--quiet")).isZero();
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"maxIterations\" : 300");
        // a user's file in --out: refused before any work, the file untouched
        Files.writeString(dir.resolve("notes.txt"), "mine");
        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(run(refused, "toy", "--out", dir.toString(), "--max-iter", "300")).isEqualTo(2);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("--out", "is not empty");
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void mfWritesTheGridAndTheCheckLine(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = run(out, "mf", "--out", dir.toString(), "--seeds", "1", "--max-iter", "200");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).containsPattern("(PASS|FAIL) 5x check");
        assertThat(Files.readAllLines(dir.resolve("table.csv"))).hasSize(1 + 2 * 2 * 7);
        for (String f : new String[] {"summary.csv", "table.md", "check.txt", "metrics-WWT.png", "metrics-WWTpI.png",
            "diagnostics.png"}) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
    }

    @Test
    void badArgumentsExitWithTwo(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(out, "mf", "--out", dir.toString(), "--seeds", "0")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--seeds must be between 1 and 1000, got 0");
        // the seeds --seed, --seed + 1, ... would wrap past Long.MAX_VALUE: refused before any work
        ByteArrayOutputStream wrap = new ByteArrayOutputStream();
        assertThat(run(wrap, "mf", "--out", dir.resolve("wrap").toString(), "--seeds", "3", "--seed",
                String.valueOf(Long.MAX_VALUE - 1))).isEqualTo(2);
        assertThat(wrap.toString(StandardCharsets.UTF_8)).contains("--seed 9223372036854775806 with --seeds 3 runs"
                + " past the largest seed, 9223372036854775807: give --seed at most 9223372036854775805");
        assertThat(dir.resolve("wrap")).doesNotExist();
        assertThat(run(new ByteArrayOutputStream(), "toy", "--eta", "-1")).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream(), "toy", "--no-such-option")).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream())).isEqualTo(2);
    }
}
