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
