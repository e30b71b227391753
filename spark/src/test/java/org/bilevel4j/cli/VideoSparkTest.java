package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.SyntheticClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bilevel4j video --spark local[2]} through Main: the same table as the local run. */
class VideoSparkTest {

    @TempDir
    Path dir;


    private static String[] binnoRow(Path table) throws Exception {
        List<String> lines = Files.readAllLines(table);
        return lines.stream().filter(l -> l.startsWith("binno,")).findFirst().orElseThrow().split(",", -1);
    }

    @Test
    void binnoOnSparkGivesTheTableOfTheLocalRun() throws Exception {
        Path clip = dir.resolve("clip.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(16, 12, 20, 2, 3), clip);
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        CliRunner.Run a = CliRunner.run("video", "--input", clip.toString(), "--methods", "binno",
                "--max-iter", "15", "--rank", "3", "--quiet", "--out", local.toString());
        assertThat(a.code()).as(a.err()).isZero();
        CliRunner.Run b = CliRunner.run("video", "--input", clip.toString(), "--methods", "binno",
                "--max-iter", "15", "--rank", "3", "--spark", "local[2]", "--out", spark.toString()); // --quiet: no stdout
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("binno runs on Spark (master local[2]");
        String[] ra = binnoRow(local.resolve("table.csv"));
        String[] rb = binnoRow(spark.resolve("table.csv"));
        // method,solver,seconds,iterations,stop,rank,rel_error,mse,psnr
        assertThat(rb[1]).isEqualTo("BINNO(midpoint) on Spark");
        assertThat(rb[3]).isEqualTo("15");
        assertThat(rb[4]).isEqualTo(ra[4]);
        for (int c : new int[] {6, 7, 8}) {
            double x = Double.parseDouble(ra[c]);
            double y = Double.parseDouble(rb[c]);
            assertThat(Math.abs(x - y)).as("column %d", c).isLessThanOrEqualTo(1e-6 * Math.abs(x));
        }
        assertThat(spark.resolve("montage_binno.png")).exists();
        assertThat(spark.resolve("trace_binno.csv")).exists();
    }

    @Test
    void helpSaysTheBaselinesRunLocally() {
        CliRunner.Run r = CliRunner.run("video", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("--spark=MASTER").contains("baselines still run locally");
    }

    @Test
    void blankMasterIsExitTwo() throws Exception {
        Path clip = dir.resolve("c.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(8, 8, 6, 1, 1), clip);
        CliRunner.Run r = CliRunner.run("video", "--input", clip.toString(), "--spark", " ", "--out",
                dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bilevel4j: error: --spark needs a master URL").doesNotContain("\n");
        assertThat(dir.resolve("o")).doesNotExist();
    }
}
