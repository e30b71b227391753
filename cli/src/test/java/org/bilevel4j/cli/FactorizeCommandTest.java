package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.function.NormL1;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.bilevel4j.linalg.Gemm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code bilevel4j factorize}: results, determinism, and every kind of bad input. */
class FactorizeCommandTest {

    static final int M = 30;
    static final int N = 20;
    static final int R = 3;

    @TempDir
    Path tmp;

    Path in;
    Path outs;
    DMatrixRMaj data;

    @BeforeEach
    void makeInputs() throws IOException {
        in = Files.createDirectories(tmp.resolve("in"));
        outs = Files.createDirectories(tmp.resolve("outs"));
        data = SyntheticFactorization.generate(M, N, R, 0.4, 0.01, 5).observed();
        MatrixIO.write(in.resolve("m.npy"), data);
        MatrixIO.write(in.resolve("m.csv"), data);
        MatrixIO.write(in.resolve("m.mtx"), data);
    }

    private CliRunner.Run factorize(Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("factorize", "--input", input.toString(), "--rank",
                Integer.toString(R), "--max-iter", "25", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(new String[0]));
    }

    @Test
    void writesFactorsAndTheWholeReport() throws IOException {
        Path out = outs.resolve("run");
        CliRunner.Run r = factorize(in.resolve("m.npy"), out, "--seed", "9");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("BINNO(midpoint)", "rel. error vs observed M", "report: " + out);
        for (String f : List.of("X.npy", "Y.npy", "report.json", "trace.csv", "convergence.png", "sparsity-X.png",
                "sparsity-Y.png")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(MatrixIO.read(out.resolve("X.npy")).numRows).isEqualTo(M);
        assertThat(MatrixIO.read(out.resolve("X.npy")).numCols).isEqualTo(R);
        assertThat(MatrixIO.read(out.resolve("Y.npy")).numRows).isEqualTo(R);
        assertThat(MatrixIO.read(out.resolve("Y.npy")).numCols).isEqualTo(N);

        JsonNode rep = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(rep.path("tool").asText()).isEqualTo("bilevel4j");
        assertThat(rep.path("command").asText()).isEqualTo("factorize");
        assertThat(rep.path("seed").asLong()).isEqualTo(9);
        assertThat(rep.path("options").path("rank").asInt()).isEqualTo(R);
        assertThat(rep.path("options").path("lambda1").asDouble()).isEqualTo(0.005);
        assertThat(rep.path("options").path("weights").asText()).isEqualTo("midpoint");
        JsonNode input = rep.path("inputs").get(0);
        assertThat(input.path("shape").get(0).asInt()).isEqualTo(M);
        assertThat(input.path("shape").get(1).asInt()).isEqualTo(N);
        assertThat(input.path("sha256").asText()).isEqualTo(ReportWriter.sha256(in.resolve("m.npy")));
        JsonNode run = rep.path("runs").get(0);
        assertThat(run.path("stopReason").asText()).isEqualTo("MAX_ITERATIONS");
        assertThat(run.path("iterations").asInt()).isEqualTo(25);
        assertThat(run.path("metrics").path("relativeErrorObserved").asDouble()).isBetween(0.0, 1.0);
        assertThat(run.path("metrics").path("numericalRankXY").asInt()).isBetween(1, R);
        assertThat(rep.path("versions").path("blas").asText()).isNotEmpty();
        assertThat(rep.path("versions").path("vectorApi").isBoolean()).isTrue();
        assertThat(rep.path("versions").path("vectorApi").asBoolean()).isEqualTo(Gemm.vectorApi());
        assertThat(rep.path("versions").path("bilevel4j").asText()).isEqualTo(Version.get());
        assertThat(rep.path("timings").path("total").asDouble()).isPositive();
        List<String> files = new ArrayList<>();
        rep.path("files").forEach(f -> files.add(f.asText()));
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(files);
        }
        // nothing else beside the report: the staging folder is gone
        try (Stream<Path> s = Files.list(outs)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("run");
        }
    }

    @Test
    void npyCsvAndMatrixMarketInputsGiveIdenticalFactors() throws IOException {
        factorize(in.resolve("m.npy"), outs.resolve("npy"), "--seed", "4");
        factorize(in.resolve("m.csv"), outs.resolve("csv"), "--seed", "4");
        factorize(in.resolve("m.mtx"), outs.resolve("mtx"), "--seed", "4");
        for (String f : List.of("X.npy", "Y.npy")) {
            byte[] npy = Files.readAllBytes(outs.resolve("npy").resolve(f));
            assertThat(Files.readAllBytes(outs.resolve("csv").resolve(f))).as(f).isEqualTo(npy);
            assertThat(Files.readAllBytes(outs.resolve("mtx").resolve(f))).as(f).isEqualTo(npy);
        }
    }

    /** The trace without its seconds column. */
    private static List<String> traceWithoutSeconds(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int sec = List.of(lines.get(0).split(",")).indexOf("seconds");
        assertThat(sec).isNotNegative();
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> f = new ArrayList<>(List.of(l.split(",")));
            f.remove(sec);
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void theSameSeedTwiceGivesTheSameTraceAndAnotherSeedDoesNot() throws IOException {
        factorize(in.resolve("m.npy"), outs.resolve("a"), "--seed", "3", "--weights", "linesearch");
        factorize(in.resolve("m.npy"), outs.resolve("b"), "--seed", "3", "--weights", "linesearch");
        factorize(in.resolve("m.npy"), outs.resolve("c"), "--seed", "8", "--weights", "linesearch");
        List<String> a = traceWithoutSeconds(outs.resolve("a/trace.csv"));
        assertThat(a).hasSize(26); // header + 25 iterations
        assertThat(a.get(0)).isEqualTo("iteration,psi1,psi2,alpha,beta,nu_x,nu_y,psi1_decreased,psi2_decreased,"
                + "trials,descent_failed");
        assertThat(traceWithoutSeconds(outs.resolve("b/trace.csv"))).isEqualTo(a);
        assertThat(traceWithoutSeconds(outs.resolve("c/trace.csv"))).isNotEqualTo(a);
    }

    @Test
    void givenStartsEqualTheSeededStart() throws IOException {
        // the uniform start of seed 6, written to files, must give the run of --seed 6
        BlockIterate s = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(data, R))
                .upper(new NormL1(0), new NormL1(0)).lower(new NormL1(0), new NormL1(0)).build().uniformStart(6);
        MatrixIO.write(in.resolve("x0.csv"), s.x());
        MatrixIO.write(in.resolve("y0.npy"), s.y());
        factorize(in.resolve("m.npy"), outs.resolve("seeded"), "--seed", "6");
        CliRunner.Run r = factorize(in.resolve("m.npy"), outs.resolve("given"), "--seed", "99", "--init-x",
                in.resolve("x0.csv").toString(), "--init-y", in.resolve("y0.npy").toString());
        assertThat(r.code()).isZero();
        assertThat(Files.readAllBytes(outs.resolve("given/X.npy")))
                .isEqualTo(Files.readAllBytes(outs.resolve("seeded/X.npy")));
        JsonNode rep = new ObjectMapper().readTree(outs.resolve("given/report.json").toFile());
        assertThat(rep.path("inputs")).hasSize(3);
        assertThat(rep.path("options").path("start").asText()).isEqualTo("given");
    }

    @Test
    void rerunIntoAnEarlierReportReplacesIt() throws IOException {
        Path out = outs.resolve("again");
        assertThat(factorize(in.resolve("m.npy"), out, "--seed", "1").code()).isZero();
        Files.writeString(out.resolve("trace.csv"), "stale");
        CliRunner.Run r = factorize(in.resolve("m.npy"), out, "--seed", "1");
        assertThat(r.code()).isZero();
        assertThat(Files.readString(out.resolve("trace.csv"))).startsWith("iteration,");
        try (Stream<Path> s = Files.list(outs)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("again");
        }
    }

    @Test
    void forceReplacesAForeignFolderAsAWhole() throws IOException {
        Path out = Files.createDirectories(outs.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Files.writeString(out.resolve("X.npy"), "old");
        CliRunner.Run refused = factorize(in.resolve("m.npy"), out);
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString().contains("is not empty", "--force");
        CliRunner.Run r = factorize(in.resolve("m.npy"), out, "--force");
        assertThat(r.code()).isZero();
        assertThat(out.resolve("notes.txt")).doesNotExist();
        assertThat(MatrixIO.read(out.resolve("X.npy")).numCols).isEqualTo(R);
        assertThat(out.resolve("report.json")).isNotEmptyFile();
        try (Stream<Path> s = Files.list(outs)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("mine");
        }
    }

    // ---------- bad input: exit 2, one line naming the problem, nothing written ----------

    /** A bad command line: the extra arguments, what the one error line must contain. */
    record Bad(String name, String[] args, String[] fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad bad(String name, String[] args, String... fragments) {
        return new Bad(name, args, fragments);
    }

    static String[] a(String... s) {
        return s;
    }

    static Stream<Bad> badInputs() {
        return Stream.of(
                bad("missing file", a("--input", "@in/missing.npy"), "--input", "missing.npy: no such file"),
                bad("folder as input", a("--input", "@in/dir.csv"), "dir.csv: is a folder"),
                bad("unknown format", a("--input", "@in/m.txt"), "m.txt: unknown matrix format"),
                bad("ragged csv", a("--input", "@in/ragged.csv"), "ragged.csv: ragged rows", "line 3 has 2 values"),
                bad("NaN entry", a("--input", "@in/nan.csv"), "nan.csv: non-finite entry NaN at row 2, column 3"),
                bad("Inf entry", a("--input", "@in/inf.npy"), "inf.npy: non-finite entry +Inf at row 4, column 1"),
                bad("truncated npy", a("--input", "@in/cut.npy"), "cut.npy: truncated"),
                bad("all zeros", a("--input", "@in/zeros.csv"), "zeros.csv: the matrix is all zeros"),
                bad("rank 0", a("--rank", "0"), "--rank must be at least 1, got 0"),
                bad("rank too large", a("--rank", "21"), "--rank must be at most min(m, n) = 20", "30x20", "got 21"),
                bad("rank not a number", a("--rank", "three"), "--rank", "'three' is not an int"),
                bad("negative lambda1", a("--lambda1", "-0.1"), "--lambda1 must be finite and nonnegative, got -0.1"),
                bad("negative lambda2", a("--lambda2", "-1"), "--lambda2 must be finite and nonnegative, got -1.0"),
                bad("negative gamma1", a("--gamma1", "-2"), "--gamma1 must be finite and nonnegative, got -2.0"),
                bad("negative gamma2", a("--gamma2", "-1e-3"), "--gamma2 must be finite and nonnegative"),
                bad("NaN weight", a("--gamma2", "NaN"), "--gamma2 must be finite and nonnegative, got NaN"),
                bad("init-x rows", a("--init-x", "@in/x_bad_rows.npy"), "--init-x", "x_bad_rows.npy is 29x3",
                        "expected 30x3 (m x r)"),
                bad("init-x rank", a("--init-x", "@in/x_bad_rank.csv"), "x_bad_rank.csv is 30x2",
                        "expected 30x3 (m x r)"),
                bad("init-y shape", a("--init-y", "@in/y_bad.npy"), "--init-y", "y_bad.npy is 3x19",
                        "expected 3x20 (r x n)"),
                bad("init-x missing", a("--init-x", "@in/nothing.npy"), "--init-x", "nothing.npy: no such file"),
                bad("init-y with NaN", a("--init-y", "@in/nan.csv"), "--init-y", "non-finite entry NaN"),
                bad("max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1, got 0"),
                bad("negative tol", a("--tol", "-1"), "--tol must be finite and nonnegative, got -1.0"),
                bad("bad weight rule", a("--weights", "average"), "--weights", "average"),
                bad("threads 0", a("--threads", "0"), "--threads must be at least 1, got 0"),
                bad("unknown option", a("--colour", "red"), "Unknown option", "--colour"),
                bad("out is a file", a("--out", "@in/m.csv"), "--out", "m.csv is a file, not a folder"),
                bad("out not empty", a("--out", "@in"), "is not empty and holds no earlier bilevel4j report"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsExitTwoWithOneLineAndNoReport(Bad bad) throws IOException {
        writeBadFiles();
        Path out = outs.resolve("report");
        // the defaults, each replaced by the bad case's value of the same option
        java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();
        opts.put("--input", in.resolve("m.npy").toString());
        opts.put("--rank", Integer.toString(R));
        opts.put("--max-iter", "5");
        opts.put("--out", out.toString());
        for (int i = 0; i < bad.args().length; i += 2) {
            String v = bad.args()[i + 1];
            opts.put(bad.args()[i], v.startsWith("@in") ? in + v.substring(3) : v);
        }
        List<String> args = new ArrayList<>(List.of("factorize"));
        opts.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        List<String> before = listing(in);
        CliRunner.Run r = CliRunner.run(args.toArray(new String[0]));
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("bilevel4j: error: ").contains(bad.fragments());
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
        assertThat(listing(outs)).isEmpty();
        assertThat(listing(in)).isEqualTo(before);
    }

    @Test
    void missingRequiredOptionsAreBadUsage() {
        CliRunner.Run r = CliRunner.run("factorize", "--rank", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("bilevel4j: error: Missing required option")
                .contains("--input", "--out", "see 'bilevel4j factorize --help'");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeBadFiles() throws IOException {
        Files.createDirectories(in.resolve("dir.csv"));
        Files.writeString(in.resolve("m.txt"), "1,2\n");
        Files.writeString(in.resolve("ragged.csv"), "1,2,3\n4,5,6\n7,8\n");
        Files.writeString(in.resolve("nan.csv"), "1,2,3\n4,5,nan\n");
        MatrixIO.write(in.resolve("zeros.csv"), new DMatrixRMaj(M, N));
        DMatrixRMaj inf = data.copy();
        inf.set(3, 0, Double.POSITIVE_INFINITY);
        writeNpyUnchecked(in.resolve("inf.npy"), inf);
        byte[] full = Files.readAllBytes(in.resolve("m.npy"));
        Files.write(in.resolve("cut.npy"), java.util.Arrays.copyOf(full, full.length - 8));
        MatrixIO.write(in.resolve("x_bad_rows.npy"), new DMatrixRMaj(M - 1, R));
        MatrixIO.write(in.resolve("x_bad_rank.csv"), new DMatrixRMaj(M, R - 1));
        MatrixIO.write(in.resolve("y_bad.npy"), new DMatrixRMaj(R, N - 1));
    }

    /** Writes a .npy even with non-finite entries (MatrixIO refuses to). */
    private static void writeNpyUnchecked(Path f, DMatrixRMaj a) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + a.numRows + ", " + a.numCols + "), }";
        String header = dict + " ".repeat(127 - 10 - dict.length()) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 8 * a.getNumElements())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (double v : a.data) {
            b.putDouble(v);
        }
        Files.write(f, b.array());
    }
}
