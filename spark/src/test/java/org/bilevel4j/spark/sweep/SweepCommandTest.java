package org.bilevel4j.spark.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.bilevel4j.apps.video.SyntheticClip;
import org.bilevel4j.cli.ClipFiles;
import org.bilevel4j.cli.CliRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {

    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void clip() throws Exception {
        clip = dir.resolve("clip.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(12, 16, 10, 1, 3), clip);
        TestData.spark();
    }

    private static List<String> listing(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void videoSweepWritesTableParquetPlotAndReport() throws Exception {
        Path out = dir.resolve("video");
        CliRunner.Run r = CliRunner.run("sweep", "video", "--input", clip.toString(), "--lambda", "0.01,0.1",
                "--gamma", "0.01,0.1,1", "--rank", "3", "--max-iter", "20", "--corruption-rank", "3", "--spark",
                "local[2]", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("lambda", "gamma", "psnr", "6 runs", "0 failed");
        assertThat(listing(out)).containsExactly("grid_psnr.png", "report.json", "table.csv", "table.parquet");
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(0)).startsWith("run,lambda,gamma,rank,max_iter,seed,psnr,mse,rel_error,rank_l,");
        List<Row> parquet = TestData.byRun(TestData.spark().read().parquet(out.resolve("table.parquet").toString()));
        assertThat(parquet).hasSize(6);
        assertThat(parquet.get(5).<Double>getAs("lambda")).isEqualTo(0.1);
        assertThat(parquet.get(5).<Double>getAs("gamma")).isEqualTo(1.0);
        assertThat(parquet.get(5).<Double>getAs("psnr")).isPositive();
        assertThat(Files.readAllBytes(out.resolve("grid_psnr.png"))).startsWith(0x89, 'P', 'N', 'G');
        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(rep.path("tool").asText()).isEqualTo("bilevel4j");
        assertThat(rep.path("sweep").path("runs").asInt()).isEqualTo(6);
        assertThat(rep.path("sweep").path("rows")).hasSize(6);
        assertThat(rep.path("options").path("grid").path("gamma")).hasSize(3);
        assertThat(rep.path("inputs").get(0).path("sha256").asText()).hasSize(64);
        // the same command again replaces the earlier report
        CliRunner.Run again = CliRunner.run("sweep", "video", "--input", clip.toString(), "--lambda", "0.1",
                "--rank", "3", "--max-iter", "5", "--corruption-rank", "3", "--spark", "local[2]", "--quiet",
                "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("table.csv"))).hasSize(2);
    }

    @Test
    void mehaSweepRunsThroughTheSameCommandLine() throws Exception {
        Path out = dir.resolve("meha");
        CliRunner.Run r = CliRunner.run("sweep", "meha", "--toy", "merely-convex", "--alpha", "0.1,0.3",
                "--max-iter", "100", "--seeds", "0,1", "--spark", "local[2]", "--quiet", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(listing(out)).containsExactly("grid_criterion.png", "report.json", "table.csv", "table.parquet");
        assertThat(Files.readAllLines(out.resolve("table.csv"))).hasSize(5);
        // --seed N: the one seed, as --seeds N
        Path one = dir.resolve("meha-one-seed");
        CliRunner.Run o = CliRunner.run("sweep", "meha", "--toy", "merely-convex", "--alpha", "0.1", "--max-iter",
                "100", "--seed", "5", "--threads", "1", "--spark", "local[2]", "--quiet", "--out", one.toString());
        assertThat(o.code()).as(o.err()).isZero();
        List<String> rows = Files.readAllLines(one.resolve("table.csv"));
        assertThat(rows).hasSize(2);
        int seedColumn = List.of(rows.get(0).split(",")).indexOf("seed");
        assertThat(rows.get(1).split(",")[seedColumn]).isEqualTo("5");
    }

    @Test
    void badInputIsOneLineExitTwoAndNoOutput() throws Exception {
        String[][] cases = {
            {"sweep", "video", "--input", clip.toString(), "--lambda", "-1,0.1", "--out", dir.resolve("bad1").toString()},
            {"sweep", "video", "--input", dir.resolve("missing.avi").toString(), "--out", dir.resolve("bad2").toString()},
            {"sweep", "video", "--input", clip.toString(), "--gamma", "0.1,abc", "--out", dir.resolve("bad3").toString()},
            {"sweep", "video", "--input", clip.toString(), "--plot", "nope", "--out", dir.resolve("bad4").toString()},
            {"sweep", "meha", "--toy", "square", "--out", dir.resolve("bad5").toString()},
            {"sweep", "video", "--input", clip.toString(), "--seeds", "1,1", "--out", dir.resolve("bad6").toString()},
            {"sweep", "meha", "--spark", "lokal[2]", "--out", dir.resolve("bad7").toString()},
            {"sweep", "meha", "--seed", "3", "--seeds", "1,2", "--out", dir.resolve("bad8").toString()},
            {"sweep", "meha", "--threads", "0", "--out", dir.resolve("bad9").toString()},
        };
        String[] named = {"lambda", "missing.avi", "abc", "nope", "square", "seed", "lokal[2]",
            "give either --seed or --seeds", "--threads must be at least 1, got 0"};
        for (int i = 0; i < cases.length; i++) {
            CliRunner.Run r = CliRunner.run(cases[i]);
            assertThat(r.code()).as(String.join(" ", cases[i]) + ": " + r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("bilevel4j: error: ").contains(named[i]);
            assertThat(dir.resolve("bad" + (i + 1))).doesNotExist();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".bad"));
        }
    }

    @Test
    void masterUrlsSparkAcceptsPassTheCheck() {
        for (String ok : List.of("local", "local[*]", "local[2]", "local[4,3]", "spark://host:7077", "yarn",
                "k8s://https://host:443", "submit", "local-cluster[2, 1, 1024]")) {
            assertThat(SweepCommand.MASTER.matcher(ok).matches()).as(ok).isTrue();
        }
        for (String bad : List.of("", "foo", "local[0]", "local[x]", "spark:/host", "lokal[*]")) {
            assertThat(SweepCommand.MASTER.matcher(bad).matches()).as(bad).isFalse();
        }
    }

    @Test
    void helpListsTheJobs() {
        CliRunner.Run r = CliRunner.run("sweep", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("video", "factorize", "meha");
        CliRunner.Run top = CliRunner.run("--help");
        assertThat(top.out()).contains("sweep");
    }
}
