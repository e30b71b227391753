package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.SyntheticClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoCommandTest {

    @TempDir
    Path dir;

    /** Runs {@code bilevel4j video ARGS} through the main command line. */
    private static CliRunner.Run run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "video";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(all);
    }


    @Test
    void runsAllMethodsAndWritesTheReport() throws Exception {
        Path clip = dir.resolve("synthetic.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(20, 16, 24, 2, 3), clip);
        Path out = dir.resolve("out");
        CliRunner.Run r = run("--input", clip.toString(), "--max-iter", "60", "--rank", "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("method", "binno", "nmf", "rpca", "pcp", "PSNR");
        for (String f : new String[] {"table.csv", "report.json", "report.html", "frames.png", "montage_binno.png",
            "montage_nmf.png", "montage_rpca.png", "montage_pcp.png", "convergence_binno.png", "trace_rpca.csv"}) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(Files.readString(out.resolve("table.csv")).lines().count()).isEqualTo(5);
        assertThat(Files.readString(out.resolve("report.html"))).contains("data:image/png;base64,");
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"tool\" : \"bilevel4j\"",
                "\"montage_pcp.png\"", "\"vectorApi\" : " + org.bilevel4j.linalg.Gemm.vectorApi());
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no staging folder left beside --out")
                    .noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void methodsRunAtOnceGiveTheSameReportAsOneAtATime() throws Exception {
        Path clip = dir.resolve("t.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(16, 12, 14, 2, 8), clip);
        String[] files = {"trace_binno.csv", "trace_nmf.csv", "trace_rpca.csv", "trace_pcp.csv", "table.csv"};
        java.util.Map<String, java.util.List<String>> first = null;
        for (String threads : new String[] {"1", "3"}) {
            Path out = dir.resolve("threads" + threads);
            CliRunner.Run r = run("--input", clip.toString(), "--max-iter", "40", "--rank", "2", "--threads", threads,
                    "--quiet", "--out", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            java.util.Map<String, java.util.List<String>> got = new java.util.HashMap<>();
            for (String f : files) {
                got.put(f, withoutSeconds(Files.readAllLines(out.resolve(f))));
            }
            for (String f : new String[] {"frames.png", "montage_binno.png", "montage_pcp.png",
                "convergence_nmf.png"}) {
                got.put(f, java.util.List.of(java.util.Arrays.toString(Files.readAllBytes(out.resolve(f)))));
            }
            if (first == null) {
                first = got;
            } else {
                assertThat(got).isEqualTo(first);
            }
        }
        CliRunner.Run bad = run("--input", clip.toString(), "--threads", "0", "--quiet", "--out",
                dir.resolve("none").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.errLines()).singleElement().asString().contains("--threads");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    /** The lines of a CSV file without its "seconds" column (the only one that depends on the run's timing). */
    private static java.util.List<String> withoutSeconds(java.util.List<String> lines) {
        int col = java.util.Arrays.asList(lines.get(0).split(",", -1)).indexOf("seconds");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : lines) {
            java.util.List<String> cells = new java.util.ArrayList<>(java.util.Arrays.asList(line.split(",", -1)));
            if (col >= 0) {
                cells.remove(col);
            }
            out.add(String.join(",", cells));
        }
        return out;
    }

    @Test
    void aFailureAfterTheFilesAreWrittenLeavesNoOutput() throws Exception {
        Path clip = dir.resolve("s.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(12, 12, 10, 1, 5), clip);
        Path out = dir.resolve("failed");
        VideoCommand failing = new VideoCommand();
        failing.beforeCommit = () -> {
            throw new IllegalStateException("simulated failure after writing the report");
        };
        CliRunner.Run r = CliRunner.runNamed("video-failing", failing, "video-failing", "--input", clip.toString(),
                "--methods", "binno,rpca", "--max-iter", "20", "--rank", "2", "--quiet", "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("simulated failure");
        assertThat(out).doesNotExist();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("s.npy");
        }
    }

    @Test
    void rerunReplacesAnEarlierReportButNotOtherFiles() throws Exception {
        Path clip = dir.resolve("s.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(12, 12, 10, 1, 6), clip);
        Path out = dir.resolve("again");
        String[] args = {"--input", clip.toString(), "--methods", "rpca", "--quiet", "--out", out.toString()};
        assertThat(run(args).code()).isZero();
        CliRunner.Run second = run(args);
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(out.resolve("montage_rpca.png")).exists();
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        CliRunner.Run refused = run("--input", clip.toString(), "--methods", "rpca", "--quiet", "--out",
                other.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString().contains("not empty");
        assertThat(other.resolve("table.csv")).doesNotExist();
    }

    @Test
    void noCorruptionLeavesMseEmpty() throws Exception {
        Path clip = dir.resolve("s.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(12, 12, 10, 1, 4), clip);
        Path out = dir.resolve("o2");
        CliRunner.Run r = run("--input", clip.toString(), "--methods", "rpca", "--no-corruption", "--quiet", "--out",
                out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("table.csv"))).contains("rpca").endsWith(",,\n");
    }

    @Test
    void badInputIsOneLineExitTwoAndNoOutput() throws Exception {
        Path bad = dir.resolve("bad.npy");
        Files.write(bad, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 100, 0, '{'});
        Path out = dir.resolve("never");
        for (String[] args : new String[][] {
            {"--input", bad.toString(), "--out", out.toString()},
            {"--input", dir.resolve("missing.avi").toString(), "--out", out.toString()},
            {"--input", bad.toString(), "--methods", "svd", "--out", out.toString()},
            {"--input", bad.toString(), "--frames", "x", "--out", out.toString()},
            {"--input", bad.toString(), "--start", "zero", "--out", out.toString()}}) {
            CliRunner.Run r = run(args);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").startsWith("bilevel4j: error: ");
            assertThat(out).doesNotExist();
        }
        Path empty = Files.createDirectory(dir.resolve("frames"));
        CliRunner.Run r = run("--input", empty.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("empty folder");
    }
}
