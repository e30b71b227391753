package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MehaCommandsTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void toyRunsMehaAndBomeSideBySideAndWritesPlots() throws IOException {
        Run r = run(new MehaCommand(), "toy", "--problem", "merely-convex", "--dim", "10", "--out",
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
    void scriptStepSizesShowTheStabilityWarningAndTheDivergence() {
        Run r = run(new MehaCommand(), "toy", "--problem", "merely-convex", "--steps", "scripts", "--max-iter",
                "30000", "--no-bome", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: eta = 0.009 does not exceed beta = 0.1").contains("DIVERGED")
                .contains("non-finite value at iteration");
    }

    @Test
    void badToyArgumentsExitWithTwoAndOneLine() {
        Run r = run(new MehaCommand(), "toy", "--problem", "cubic", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("unknown toy problem 'cubic'").doesNotContain("\n");
        Run odd = run(new MehaCommand(), "toy", "--problem", "l1", "--dim", "7", "--out", dir.toString());
        assertThat(odd.code()).isEqualTo(2);
        assertThat(odd.err()).contains("n must be even");
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
        byte[] img = gzip(idxImages(100, 4));
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), Arrays.copyOf(img, img.length - 30));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(100)));
        Run r = run(new CleanCommand(), "--dataset", data.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bilevel4j: error: ").contains("t10k-images-idx3-ubyte.gz")
                .contains("truncated").doesNotContain("\n");
        byte[] bad = img.clone();
        for (int i = 30; i < 60; i++) {
            bad[i] ^= 0x33;
        }
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), bad);
        Run c = run(new CleanCommand(), "--dataset", data.toString(), "--out", dir.resolve("o").toString());
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).contains("t10k-images-idx3-ubyte.gz").doesNotContain("\n");
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxLabels(100)));
        Run m = run(new CleanCommand(), "--dataset", data.toString(), "--out", dir.resolve("o").toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("bad magic number");
        Run missing = run(new CleanCommand(), "--dataset", dir.resolve("nothing").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("not a folder").doesNotContain("\n");
        Run bench = run(new BenchMehaCommand(), "--dataset", data.toString());
        assertThat(bench.code()).isEqualTo(2);
    }

    @Test
    void cleanRunsOnASmallSplitFolderAndSaysItSplitTheTestFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("small"));
        Files.write(data.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxImages(300, 5)));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(300)));
        Path o = dir.resolve("out");
        Run r = run(new CleanCommand(), "--dataset", data.toString(), "--train", "100", "--val", "100", "--method",
                "meha,all-data", "--max-iter", "20", "--eval-every", "10", "--fit-iter", "20", "--out", o.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no training images").contains("split 100 train / 100 validation / 100 test")
                .contains("retrained acc").contains("meha").contains("all-data");
        for (String f : new String[] {"validation-loss-vs-time.png", "test-accuracy-vs-time.png", "f1-vs-time.png",
            "meha-checkpoints.csv", "all-data-checkpoints.csv", "report.json"}) {
            assertThat(o.resolve(f)).exists();
        }
    }
}
