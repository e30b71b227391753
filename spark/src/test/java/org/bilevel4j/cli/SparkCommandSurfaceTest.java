package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark module's commands speak the shared options, and {@code bench-spark} writes its report folder. */
class SparkCommandSurfaceTest {

    @TempDir
    Path dir;

    @Test
    void theSparkCommandsSpeakTheSharedOptions() {
        assertThat(OptionVocabularyTest.checkSharedOptionsOfEveryCommand()).contains("bilevel4j sweep video",
                "bilevel4j sweep factorize", "bilevel4j sweep meha", "bilevel4j factorize-spark",
                "bilevel4j bench-spark");
    }

    /**
     * The benchmark itself on a small problem: every figure of its lines is in report.json (a run per timing,
     * the fixed cost of a job, the two per-block costs, the four cluster estimates, the load averages), and the
     * printed seconds are those figures.
     */
    @Test
    void benchSparkWritesEveryFigureOfItsLinesToTheReport() throws IOException {
        Path out = dir.resolve("figures");
        CliRunner.Run r = CliRunner.run("bench-spark", "--spark", "local[2]", "--rows", "240", "--cols", "12",
                "--rank", "2", "--partitions", "2,3", "--warmup", "0", "--max-iter", "2", "--quiet", "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        List<String> table = Files.readAllLines(out.resolve("table.txt"));
        JsonNode root = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode runs = root.path("runs");
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0).path("partitions").asInt(-1)).isZero();
        assertThat(runs.get(0).path("ofSingle").asDouble()).isEqualTo(1.0);
        assertThat(runs.get(1).path("partitions").asInt()).isEqualTo(2);
        assertThat(runs.get(2).path("partitions").asInt()).isEqualTo(3);
        for (JsonNode run : runs) {
            double s = run.path("secondsPerIteration").asDouble(Double.NaN);
            assertThat(s).as(run.path("solver").asText()).isPositive();
            assertThat(run.path("minSecondsPerIteration").asDouble(Double.NaN)).isPositive().isLessThanOrEqualTo(s);
            // the line that reports this timing prints the same seconds
            String printed = String.format(java.util.Locale.ROOT, "%.4f s/iteration", s);
            assertThat(table).anySatisfy(line -> assertThat(line).startsWith(run.path("solver").asText())
                    .contains(printed));
        }
        JsonNode spark = root.path("spark");
        assertThat(spark.path("jobSeconds").asDouble()).isPositive()
                .isEqualTo(spark.path("fixedSecondsPerIteration").asDouble() / 2);
        assertThat(spark.path("blocks")).hasSize(2);
        assertThat(spark.path("blocks").get(0).path("rows").asInt()).isEqualTo(240 / 3);
        assertThat(spark.path("blocks").get(1).path("cols").asInt()).isEqualTo(6000);
        assertThat(spark.path("estimates")).hasSize(4);
        for (JsonNode e : spark.path("estimates")) {
            assertThat(e.path("secondsPerIteration").asDouble()).isPositive();
        }
        assertThat(root.path("machine").path("loadBefore").isNumber()).isTrue();
    }

    @Test
    void benchSparkCheckWritesItsLinesAndFiguresToTheReport() throws IOException {
        Path out = dir.resolve("bench");
        CliRunner.Run r = CliRunner.run("bench-spark", "--check", "--spark", "local[2]", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> table = Files.readAllLines(out.resolve("table.txt"));
        assertThat(table).hasSize(2);
        assertThat(r.out().lines().toList()).containsExactly(table.get(0), table.get(1), "report: " + out);
        JsonNode runs = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("runs");
        assertThat(runs).hasSize(2);
        for (JsonNode run : runs) {
            // the issue 9 agreement: distributed and single-machine BINNO within 1e-9, relative
            for (String f : new String[] {"x", "y", "psi1", "psi2"}) {
                assertThat(run.path(f).asDouble(Double.NaN)).as("%s %s", run.path("solver").asText(), f)
                        .isBetween(0.0, 1e-9);
            }
        }
    }

    @Test
    void benchSparkRefusesAUsersFolderAndBadThreadsBeforeStartingSpark() throws IOException {
        Path out = dir.resolve("theirs");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliRunner.Run r = CliRunner.run("bench-spark", "--check", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--out", "is not empty");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
        CliRunner.Run t = CliRunner.run("bench-spark", "--check", "--threads", "0", "--out",
                dir.resolve("t").toString());
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.errLines()).singleElement().asString().contains("--threads must be at least 1, got 0");
        assertThat(dir.resolve("t")).doesNotExist();
    }
}
