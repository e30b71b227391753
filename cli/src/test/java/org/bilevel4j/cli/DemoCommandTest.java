package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.apps.io.MatrixIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bilevel4j demo} with a small iteration count. */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheReportAndPrintsTheTable() throws IOException {
        Path out = tmp.resolve("demo");
        CliRunner.Run r = CliRunner.run("demo", "--max-iter", "40", "--out", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("BINNO(midpoint)", "BINNO(linesearch)", "SNR of the data", "iterations",
                "Psi1 (upper level)", "rel. error vs clean M", "numerical rank of XY", "Psi2 decreased every iteration",
                "report: " + out);
        assertThat(r.out()).contains("Video: a synthetic clip, 24 x 32 pixels, 80 frames", "40 iterations (--max-iter, at most 300)",
                "PSNR (dB)", "RPCA(inexact ALM)");
        for (String f : List.of("report.json", "trace.csv", "trace-linesearch.csv", "convergence.png",
                "sparsity-X.png", "sparsity-Y.png", "sparsity-X-true.png", "sparsity-Y-true.png", "M.npy", "X.npy",
                "Y.npy", "video-frames.png", "video-montage-binno.png", "video-montage-rpca.png")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        // montage: three rows (M_obs, L, |S|) of six 24 x 32 frames, zoomed alike
        var montage = ImageIO.read(out.resolve("video-montage-binno.png").toFile());
        var frames = ImageIO.read(out.resolve("video-frames.png").toFile());
        assertThat(montage.getWidth()).isEqualTo(frames.getWidth()).isGreaterThan(6 * 32);
        assertThat(montage.getHeight()).isEqualTo(frames.getHeight()).isGreaterThan(3 * 24);
        assertThat(ImageIO.read(out.resolve("convergence.png").toFile()).getWidth()).isEqualTo(900);
        // the sparsity picture of the 100 x 5 factor: tall, each entry a visible block
        var px = ImageIO.read(out.resolve("sparsity-X.png").toFile());
        assertThat(px.getHeight()).isGreaterThanOrEqualTo(500);
        assertThat(px.getWidth()).isGreaterThanOrEqualTo(100);

        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(rep.path("command").asText()).isEqualTo("demo");
        assertThat(rep.path("seed").asLong()).isEqualTo(1);
        assertThat(rep.path("options").path("maxIterations").asInt()).isEqualTo(40);
        assertThat(rep.path("inputs").get(0).path("generator").asText()).contains("SyntheticFactorization");
        assertThat(rep.path("inputs").get(0).path("snrDb").asDouble()).isBetween(30.0, 45.0);
        JsonNode runs = rep.path("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("solver").asText()).isEqualTo("BINNO(midpoint)");
        assertThat(runs.get(1).path("solver").asText()).isEqualTo("BINNO(linesearch)");
        for (JsonNode run : runs) {
            assertThat(run.path("iterations").asInt()).isEqualTo(40);
            assertThat(run.path("stopReason").asText()).isEqualTo("MAX_ITERATIONS");
            JsonNode m = run.path("metrics");
            assertThat(m.path("relativeErrorObserved").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.path("relativeErrorClean").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.path("numericalRankXY").asInt()).isBetween(1, 5);
            assertThat(m.path("psi1DecreasedEveryIteration").isBoolean()).isTrue();
        }
        // midpoint weights decrease both levels at every iteration on this problem (the check)
        assertThat(runs.get(0).path("metrics").path("psi1DecreasedEveryIteration").asBoolean()).isTrue();
        assertThat(runs.get(0).path("metrics").path("psi2DecreasedEveryIteration").asBoolean()).isTrue();
        JsonNode video = rep.path("video");
        assertThat(video.path("matrix").get(0).asInt()).isEqualTo(24 * 32);
        assertThat(video.path("matrix").get(1).asInt()).isEqualTo(80);
        // exactly round(0.05 m n) corrupted entries (the paper's protocol)
        assertThat(video.path("corruptedEntries").asLong()).isEqualTo(Math.round(0.05 * 24 * 32 * 80));
        JsonNode vr = video.path("results");
        assertThat(vr).hasSize(2);
        assertThat(vr.get(0).path("method").asText()).isEqualTo("binno");
        assertThat(vr.get(0).path("iterations").asInt()).isEqualTo(40);
        assertThat(vr.get(1).path("method").asText()).isEqualTo("rpca");
        for (JsonNode v : vr) {
            // PSNR is 10 log10(1 / MSE)
            assertThat(v.path("psnr").asDouble()).isCloseTo(-10 * Math.log10(v.path("mse").asDouble()),
                    org.assertj.core.api.Assertions.within(1e-9));
            assertThat(rep.path("files").toString()).contains(v.path("montage").asText());
        }
        // robust PCA (near convergence after 40 iterations) is closer to L0 than the corrupted input is
        assertThat(vr.get(1).path("psnr").asDouble()).isGreaterThan(video.path("observedPsnr").asDouble() + 2);
        // M.npy is the generated data, so factorize can repeat the run
        assertThat(MatrixIO.read(out.resolve("M.npy")).data).isEqualTo(SyntheticFactorization.paper(1).observed().data);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("demo");
        }
    }

    @Test
    void factorizeOnTheDemoDataRepeatsTheMidpointRun() throws IOException {
        Path demo = tmp.resolve("demo");
        assertThat(CliRunner.run("demo", "--max-iter", "15", "--seed", "2", "--quiet", "--out", demo.toString())
                .code()).isZero();
        Path fac = tmp.resolve("fac");
        CliRunner.Run r = CliRunner.run("factorize", "--input", demo.resolve("M.npy").toString(), "--rank", "5",
                "--max-iter", "15", "--seed", "2", "--quiet", "--out", fac.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(fac.resolve("X.npy"))).isEqualTo(Files.readAllBytes(demo.resolve("X.npy")));
        assertThat(Files.readAllBytes(fac.resolve("Y.npy"))).isEqualTo(Files.readAllBytes(demo.resolve("Y.npy")));
    }

    @Test
    void quietPrintsNothingAndRerunReplacesTheReport() throws IOException {
        Path out = tmp.resolve("q");
        for (int i = 0; i < 2; i++) {
            CliRunner.Run r = CliRunner.run("demo", "--max-iter", "5", "--quiet", "--out", out.toString());
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEmpty();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("q");
        }
    }

    @Test
    void badOptionsLeaveNothing() throws IOException {
        Path out = tmp.resolve("bad");
        CliRunner.Run r = CliRunner.run("demo", "--max-iter", "-3", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("bilevel4j: error: --max-iter must be at least 1, got -3");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }
}
