package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bilevel4j meha toy}, {@code bilevel4j clean} and {@code bilevel4j bench meha}, run through Main. */
class MehaCommandsTest {

    @TempDir
    Path dir;

    private static CliRunner.Run run(String... args) {
        return CliRunner.run(args);
    }

    /** Asserts exit code 2, one line on stderr containing every part, nothing on stdout. */
    private static void assertOneLineError(CliRunner.Run r, String... parts) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("bilevel4j: error: ").contains(parts);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void toyRunsMehaAndBomeSideBySideAndWritesPlots() throws IOException {
        CliRunner.Run r = run("meha", "toy", "--problem", "merely-convex", "--dim", "10", "--out",
                dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("MEHA").contains("BOME").contains("it 41,").contains("below tol from");
        for (String f : new String[] {"errors-vs-iteration.png", "errors-vs-time.png", "meha-trace.csv",
            "bome-trace.csv", "report.json"}) {
            assertThat(dir.resolve(f)).exists();
        }
        byte[] png = Files.readAllBytes(dir.resolve("errors-vs-iteration.png"));
        assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
        assertThat(png.length).isLessThan(200_000);
    }

    @Test
    void toyAndCleanWriteTheirReportAllAtOnceAndRefuseAForeignFolder() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        String[] toy = {"meha", "toy", "--problem", "merely-convex", "--max-iter", "50", "--no-bome", "--quiet"};
        assertOneLineError(run(concat(toy, "--out", foreign.toString())), "is not empty", "--force");
        assertThat(foreign.resolve("report.json")).doesNotExist();
        CliRunner.Run forced = run(concat(toy, "--out", foreign.toString(), "--force"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(foreign.resolve("notes.txt")).doesNotExist(); // --force replaces the whole folder
        assertThat(Files.readString(foreign.resolve("report.json"))).contains("\"tool\" : \"bilevel4j\"")
                .contains("\"meha-trace.csv\"").contains("\"report.json\"");
        // an earlier report is replaced as a whole, without --force
        Path again = dir.resolve("again");
        for (int k = 0; k < 2; k++) {
            CliRunner.Run r = run(concat(toy, "--out", again.toString()));
            assertThat(r.code()).as(r.err()).isZero();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("foreign", "again");
        }

        Path data = Files.createDirectories(dir.resolve("small"));
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxImages(300, 5)));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(300)));
        String[] clean = {"clean", "--dataset", data.toString(), "--train", "100", "--val", "100", "--method",
            "all-data", "--max-iter", "5", "--fit-iter", "5", "--quiet"};
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertOneLineError(run(concat(clean, "--out", foreign.toString())), "is not empty");
        assertThat(foreign.resolve("all-data-checkpoints.csv")).doesNotExist();
        CliRunner.Run c = run(concat(clean, "--out", foreign.toString(), "--force"));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(foreign.resolve("all-data-checkpoints.csv")).exists();
        assertThat(foreign.resolve("notes.txt")).doesNotExist(); // --force replaces the whole folder
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void scriptStepSizesShowTheStabilityWarningAndTheDivergence() {
        CliRunner.Run r = run("meha", "toy", "--problem", "merely-convex", "--steps", "scripts", "--max-iter",
                "30000", "--no-bome", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the run diverges: its F passes the Driver's growth bound before it overflows
        assertThat(r.out()).contains("warning: eta = 0.009 does not exceed beta = 0.1").contains("DIVERGED")
                .containsPattern("MEHA: F = \\S+ at iteration \\d+ is beyond the divergence bound");
    }

    @Test
    void badToyArgumentsExitWithTwoAndOneLine() {
        CliRunner.Run r = run("meha", "toy", "--problem", "cubic", "--out", dir.toString());
        assertOneLineError(r, "unknown toy problem 'cubic'");
        assertThat(dir).isEmptyDirectory();
        CliRunner.Run odd = run("meha", "toy", "--problem", "l1", "--dim", "7", "--out", dir.toString());
        assertOneLineError(odd, "n must be even");
        assertThat(dir).isEmptyDirectory();
    }

    private static byte[] idxImages(int count, int side) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x803);
        o.writeInt(count);
        o.writeInt(side);
        o.writeInt(side);
        for (int i = 0; i < count * side * side; i++) {
            o.writeByte(i * 7);
        }
        return b.toByteArray();
    }

    private static byte[] idxLabels(int count) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x801);
        o.writeInt(count);
        for (int i = 0; i < count; i++) {
            o.writeByte(i % 10);
        }
        return b.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    @Test
    void truncatedOrCorruptedIdxFilesExitWithTwoAndOneLineNamingTheFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("d"));
        Path out = dir.resolve("o");
        byte[] img = gzip(idxImages(100, 4));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(100)));

        // gzip stream cut short
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(img, img.length - 30));
        assertOneLineError(run("clean", "--dataset", data.toString(), "--out", out.toString()),
                "t10k-images-idx3-ubyte.gz", "truncated");
        // plain file with fewer pixels than its header announces
        byte[] raw = idxImages(100, 4);
        Files.delete(data.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(raw, raw.length - 5));
        assertOneLineError(run("clean", "--dataset", data.toString(), "--out", out.toString()),
                "t10k-images-idx3-ubyte", "truncated");
        Files.delete(data.resolve("t10k-images-idx3-ubyte"));
        // corrupted compressed data
        byte[] bad = img.clone();
        for (int i = 30; i < 60; i++) {
            bad[i] ^= 0x33;
        }
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), bad);
        assertOneLineError(run("clean", "--dataset", data.toString(), "--out", out.toString()),
                "t10k-images-idx3-ubyte.gz");
        // a labels file where the images should be
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxLabels(100)));
        assertOneLineError(run("clean", "--dataset", data.toString(), "--out", out.toString()),
                "t10k-images-idx3-ubyte.gz", "bad magic number");
        assertThat(out).doesNotExist();
        // the benchmark reads the same files the same way
        assertOneLineError(run("bench", "meha", "--dataset", data.toString(), "--out", dir.resolve("b").toString()),
                "t10k-images-idx3-ubyte.gz", "bad magic number");
        assertOneLineError(run("clean", "--dataset", dir.resolve("nothing").toString()), "not a folder");
    }

    @Test
    void benchMehaPrintsSecondsPerIterationTheFloorAndTheirRatio() throws IOException {
        Path out = dir.resolve("bench-meha");
        CliRunner.Run r = run("bench", "meha", "--dataset", "synthetic", "--warmup", "1", "--rounds", "1",
                "--max-iter", "2", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // the printed lines are the report's table, then where the report is
        assertThat(r.out()).isEqualTo(Files.readString(out.resolve("table.txt")) + "report: " + out
                + System.lineSeparator());
        JsonNode runs = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("ratio").asDouble()).isCloseTo(runs.get(0).path("secondsPerIteration").asDouble()
                / runs.get(0).path("floorSecondsPerIteration").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        double seconds = number(r.out(), "seconds per MEHA iteration");
        double floor = number(r.out(), "floor (its products alone)");
        double ratio = number(r.out(), "ratio to the floor");
        assertThat(seconds).isPositive();
        assertThat(floor).isPositive();
        // printed with five decimals and two decimals
        assertThat(ratio).isCloseTo(seconds / floor, org.assertj.core.data.Offset.offset(0.006 + 1e-4 / floor));
        assertThat(r.out()).contains("train A^T R x 20 cols  1.00 per iteration")
                .contains("236 M multiply-adds per iteration");
        assertOneLineError(run("bench", "meha", "--dataset", "synthetic", "--rounds", "0", "--out",
                dir.resolve("r0").toString()), "--rounds");
        // both formats by default, double first, each with its own floor
        int dbl = r.out().indexOf("double precision, ");
        int sgl = r.out().indexOf("single precision, ");
        assertThat(dbl).isNotNegative();
        assertThat(sgl).isGreaterThan(dbl);
        assertThat(r.out().substring(sgl)).contains("ratio to the floor");
        assertOneLineError(run("bench", "meha", "--dataset", "synthetic", "--precision", "half", "--out",
                dir.resolve("half").toString()), "unknown precision 'half'");
    }

    /** The first number after the label on its line. */
    private static double number(String out, String label) {
        String line = out.lines().filter(l -> l.contains(label)).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.indexOf(label) + label.length()).trim().split("\\s+")[0]);
    }

    @Test
    void cleanRunsOnASmallSplitFolderAndSaysItSplitTheTestFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("small"));
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxImages(300, 5)));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(300)));
        Path o = dir.resolve("out");
        CliRunner.Run r = run("clean", "--dataset", data.toString(), "--train", "100", "--val", "100", "--method",
                "meha,all-data", "--max-iter", "20", "--eval-every", "10", "--fit-iter", "20", "--out", o.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no training images").contains("split 100 train / 100 validation / 100 test")
                .contains("retrained acc").contains("meha").contains("all-data");
        for (String f : new String[] {"validation-loss-vs-time.png", "test-accuracy-vs-time.png", "f1-vs-time.png",
            "meha-checkpoints.csv", "all-data-checkpoints.csv", "report.json"}) {
            assertThat(o.resolve(f)).exists();
        }
        Path o2 = dir.resolve("out-single");
        CliRunner.Run single = run("clean", "--dataset", data.toString(), "--train", "100", "--val", "100",
                "--method", "meha", "--max-iter", "20", "--eval-every", "10", "--fit-iter", "20", "--precision",
                "single", "--out", o2.toString());
        assertThat(single.code()).as(single.err()).isZero();
        assertThat(single.out()).contains("products in single precision");
        assertThat(Files.readString(o2.resolve("report.json"))).contains("\"precision\" : \"single\"");
        assertThat(Files.readString(o.resolve("report.json"))).contains("\"precision\" : \"double\"");
        assertOneLineError(run("clean", "--dataset", data.toString(), "--precision", "half", "--out",
                dir.resolve("out-bad").toString()), "unknown precision 'half': use double or single");
    }
}
