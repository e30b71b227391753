package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16's corpus of bad inputs and faults, each run through the command line as a user would
 * ({@link CliRunner}: Main's picocli command line in this process, stdout and stderr captured):
 * exit code 2, exactly one line on stderr that names the file or option, nothing on stdout, no
 * report and no staging folder left beside {@code --out}, and the user's files (the inputs, and
 * any file already in {@code --out}) untouched. Every file is generated here, into a temporary
 * folder; each case fails before any solver runs, so the corpus takes seconds.
 */
class BadInputCorpusTest {

    /** The files of every case, generated once. */
    private static final Path FILES;

    static {
        try {
            FILES = Files.createTempDirectory("bilevel4j-corpus");
            writeFiles(FILES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TempDir
    Path outs;

    @AfterAll
    static void removeFiles() throws IOException {
        try (Stream<Path> s = Files.walk(FILES)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * One bad input: the command, the options that replace the command's valid ones (a value of
     * {@code ""} is a flag; {@code @f/NAME} is a generated file; {@code @out} the report folder),
     * the fragments the error line must hold, and whether {@code --out} already holds a user's file.
     */
    record Case(String name, String command, String[] args, String[] fragments, boolean userFileInOut) {
        @Override
        public String toString() {
            return command + ": " + name;
        }
    }

    private static final Map<String, String[]> BASE = new LinkedHashMap<>();

    static {
        BASE.put("factorize", new String[] {"--input", "@f/good.npy", "--rank", "2", "--max-iter", "5", "--out",
            "@out"});
        BASE.put("video", new String[] {"--input", "@f/clip.npy", "--rank", "2", "--max-iter", "5", "--methods", "rpca",
            "--quiet", "", "--out", "@out"});
        BASE.put("market", new String[] {"--case", "@f/good.m", "--periods", "2", "--max-iter", "10", "--out",
            "@out"});
        BASE.put("clean", new String[] {"--dataset", "@f/idx-good", "--train", "100", "--val", "100", "--method",
            "all-data", "--max-iter", "5", "--fit-iter", "5", "--quiet", "", "--out", "@out"});
        BASE.put("meha toy", new String[] {"--problem", "merely-convex", "--max-iter", "50", "--no-bome", "",
            "--quiet", "", "--out", "@out"});
        BASE.put("simple toy", new String[] {"--max-iter", "50", "--quiet", "", "--out", "@out"});
        BASE.put("simple mf", new String[] {"--seeds", "1", "--max-iter", "20", "--quiet", "", "--out", "@out"});
        BASE.put("minimax", new String[] {"--problem", "T1", "--quiet", "", "--out", "@out"});
        BASE.put("demo", new String[] {"--max-iter", "5", "--quiet", "", "--out", "@out"});
        BASE.put("robust", new String[] {"--data", "@f/empty-folder", "--quiet", "", "--out", "@out"});
        BASE.put("bench binno", new String[] {"--sizes", "small", "--max-iter", "2", "--quiet", "", "--out", "@out"});
        BASE.put("bench rpca", new String[] {"--size", "small", "--max-iter", "2", "--quiet", "", "--out", "@out"});
        BASE.put("bench meha", new String[] {"--dataset", "synthetic", "--quiet", "", "--out", "@out"});
    }

    private static Case c(String command, String name, String[] args, String... fragments) {
        return new Case(name, command, args, fragments, false);
    }

    private static String[] a(String... s) {
        return s;
    }

    /** A bad --input of factorize: the file name must be in the message. */
    private static Case input(String file, String... fragments) {
        String[] f = Arrays.copyOf(fragments, fragments.length + 1);
        f[fragments.length] = file;
        return c("factorize", file, a("--input", "@f/" + file), f);
    }

    private static Case clip(String file, String... fragments) {
        String[] f = Arrays.copyOf(fragments, fragments.length + 1);
        f[fragments.length] = file;
        return c("video", file, a("--input", "@f/" + file), f);
    }

    private static Case matpower(String file, String... fragments) {
        String[] f = Arrays.copyOf(fragments, fragments.length + 1);
        f[fragments.length] = file;
        return c("market", file, a("--case", "@f/" + file), f);
    }

    static Stream<Case> corpus() {
        List<Case> l = new ArrayList<>();
        // npy matrices
        l.add(input("empty.npy", "truncated"));
        l.add(input("five-bytes.npy", "truncated"));
        l.add(input("bad-magic.npy", "not a NumPy"));
        l.add(input("version9.npy", "version 9.0"));
        l.add(input("header-beyond-file.npy", "truncated", "header needs"));
        l.add(input("claims-30000.npy", "truncated", "30000x30000"));
        l.add(input("claims-12000.npy", "truncated", "12000x12000"));
        l.add(input("claims-2e9-rows.npy", "too large"));
        l.add(input("truncated-data.npy", "truncated", "promises"));
        l.add(input("trailing.npy", "bytes after"));
        l.add(input("no-descr.npy", "descr"));
        l.add(input("complex.npy", "dtype '<c16'"));
        l.add(input("half.npy", "dtype '<f2'"));
        l.add(input("no-order.npy", "'|f8' has no byte order"));
        l.add(input("no-fortran.npy", "fortran_order"));
        l.add(input("no-shape.npy", "shape"));
        l.add(input("three-d.npy", "3-D"));
        l.add(input("scalar.npy", "0-D"));
        l.add(input("negative-shape.npy", "not a tuple of sizes"));
        l.add(input("empty-shape.npy", "empty"));
        l.add(input("nan.npy", "non-finite entry NaN"));
        l.add(input("inf.npy", "non-finite entry +Inf"));
        l.add(input("zeros.npy", "all zeros"));
        l.add(input("tiny-scale.npy", "largest |entry|", "rescale"));
        l.add(input("huge-scale.npy", "largest |entry|", "rescale"));
        l.add(input("fortran-truncated.npy", "truncated"));
        l.add(input("header-length-zero.npy", "descr"));
        // csv matrices
        l.add(input("empty.csv", "no data"));
        l.add(input("only-header.csv", "no data rows after the header"));
        l.add(input("only-comments.csv", "no data"));
        l.add(input("ragged.csv", "ragged rows"));
        l.add(input("first-row-malformed.csv", "line 1, column 3", "'x3' is not a number"));
        l.add(input("middle-malformed.csv", "line 3, column 2", "not a number"));
        l.add(input("nan.csv", "non-finite entry NaN"));
        l.add(input("inf.csv", "non-finite entry +Inf"));
        l.add(input("minus-inf.csv", "non-finite entry -Inf"));
        l.add(input("overflow.csv", "non-finite entry +Inf"));
        l.add(input("empty-field.csv", "an empty field"));
        l.add(input("binary.csv", "not a number"));
        l.add(input("hex.csv", "'0x10' is not a number"));
        l.add(input("header-wrong-width.csv", "ragged rows", "header"));
        l.add(input("tiny-scale.csv", "largest |entry|"));
        l.add(input("huge-scale.csv", "largest |entry|"));
        l.add(input("zeros.csv", "all zeros"));
        l.add(input("one-row-text-number.csv", "line 1, column 1", "not a number"));
        // Matrix Market
        l.add(input("empty.mtx", "the file is empty"));
        l.add(input("no-banner.mtx", "%%MatrixMarket"));
        l.add(input("short-banner.mtx", "bad header"));
        l.add(input("vector.mtx", "object 'vector'"));
        l.add(input("format-foo.mtx", "format 'foo'"));
        l.add(input("complex.mtx", "field 'complex'"));
        l.add(input("hermitian.mtx", "symmetry 'hermitian'"));
        l.add(input("non-square-symmetric.mtx", "must be square"));
        l.add(input("no-size.mtx", "no size line"));
        l.add(input("size-two-tokens.mtx", "rows columns entries"));
        l.add(input("negative-size.mtx", "not a nonnegative integer"));
        l.add(input("array-claims-30000.mtx", "truncated", "900000000 values"));
        l.add(input("coordinate-claims-1e9.mtx", "truncated", "1000000000 entries"));
        l.add(input("coordinate-claims-50000.mtx", "too large for one Java array"));
        l.add(input("truncated-entries.mtx", "truncated", "declares 4 entries, found 2"));
        l.add(input("extra-entries.mtx", "more entries"));
        l.add(input("row-zero.mtx", "row index 0 is outside"));
        l.add(input("column-too-large.mtx", "column index 9 is outside"));
        l.add(input("index-not-integer.mtx", "is not an integer"));
        l.add(input("value-not-number.mtx", "'abc' is not a number"));
        l.add(input("nan-value.mtx", "non-finite entry NaN"));
        l.add(input("integer-with-fraction.mtx", "'1.5' is not an integer"));
        l.add(input("pattern-with-value.mtx", "field pattern"));
        l.add(input("pattern-array.mtx", "pattern"));
        l.add(input("symmetric-upper.mtx", "above the diagonal"));
        l.add(input("skew-diagonal.mtx", "on the diagonal"));
        l.add(input("skew-pattern.mtx", "cannot be skew-symmetric"));
        l.add(input("array-truncated.mtx", "truncated"));
        l.add(input("array-extra.mtx", "more values"));
        l.add(input("entry-two-fields.mtx", "expected 'row column value'"));
        // other factorize inputs and options
        l.add(input("missing.npy", "no such file"));
        l.add(input("matrix.txt", "unknown matrix format"));
        l.add(input("folder.npy", "is a folder"));
        l.add(input("device.npy", "is not a regular file"));
        l.add(clip("device.avi", "not a regular file"));
        l.add(c("market", "a folder as the case", a("--case", "@f/empty-folder"), "empty-folder", "not a regular file"));
        l.add(c("factorize", "init-x truncated", a("--init-x", "@f/truncated-data.npy"), "--init-x",
                "truncated-data.npy"));
        l.add(c("factorize", "init-y csv header only", a("--init-y", "@f/only-header.csv"), "--init-y",
                "only-header.csv"));
        l.add(c("factorize", "rank 0", a("--rank", "0"), "--rank must be at least 1"));
        l.add(c("factorize", "rank above min(m, n)", a("--rank", "9"), "--rank must be at most"));
        l.add(c("factorize", "max-iter -1", a("--max-iter", "-1"), "--max-iter must be at least 1, got -1"));
        l.add(c("factorize", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        l.add(c("factorize", "threads -2", a("--threads", "-2"), "--threads must be at least 1"));
        l.add(c("factorize", "lambda1 NaN", a("--lambda1", "NaN"), "--lambda1"));
        l.add(c("factorize", "gamma1 Infinity", a("--gamma1", "Infinity"), "--gamma1"));
        l.add(c("factorize", "tol NaN", a("--tol", "NaN"), "--tol"));
        l.add(c("factorize", "seed not a number", a("--seed", "x"), "--seed"));
        l.add(c("factorize", "max-iter overflow", a("--max-iter", "99999999999"), "--max-iter"));
        // the report folder
        l.add(c("factorize", "out is a file", a("--out", "@f/good.csv"), "--out", "good.csv", "is a file"));
        l.add(c("factorize", "out below a file", a("--out", "@f/good.csv/sub"), "--out", "is not a folder"));
        l.add(new Case("out holds a user's file", "factorize", a(), a("--out", "is not empty", "--force"), true));
        l.add(new Case("out holds a user's file", "simple toy", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "minimax", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "video", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "simple mf", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "demo", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "market", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "meha toy", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "clean", a(), a("--out", "is not empty"), true));
        // robust: --out before the data folder (the base names one without FashionMNIST)
        l.add(new Case("out holds a user's file", "robust", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "bench binno", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "bench rpca", a(), a("--out", "is not empty"), true));
        l.add(new Case("out holds a user's file", "bench meha", a(), a("--out", "is not empty"), true));
        l.add(c("simple toy", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("simple mf", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("minimax", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("video", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("market", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("meha toy", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("clean", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("demo", "out is a file", a("--out", "@f/good.csv"), "--out", "is a file"));
        l.add(c("simple toy", "out is the working directory with --force", a("--out", ".", "--force", ""), "--out",
                "the working directory"));
        l.add(c("minimax", "out is above the working directory", a("--out", "..", "--force", ""), "--out",
                "above the working directory"));
        // clips
        l.add(clip("missing.npy", "no such file"));
        l.add(clip("empty.avi", "empty file"));
        l.add(clip("unknown.txt", "unrecognized format"));
        l.add(clip("frames-bad-dtype.npy", "dtype"));
        l.add(clip("frames-fortran.npy", "Fortran order"));
        l.add(clip("frames-2d.npy", "shape"));
        l.add(clip("frames-truncated.npy", "truncated"));
        l.add(clip("frames-claims-huge.npy", "truncated"));
        l.add(clip("not-riff.avi", "not an AVI file"));
        l.add(clip("truncated.avi", "AVI"));
        l.add(clip("compressed.avi", "compressed"));
        l.add(clip("no-movi.avi", "movi"));
        l.add(clip("huge-frame.avi", "huge-frame.avi"));
        l.add(clip("short-header.mat", "truncated MAT-file"));
        l.add(clip("not-level5.mat", "not a MATLAB level-5 MAT-file"));
        l.add(clip("m-n-contradict.mat", "m = 5 and n = 5 give 25 pixels", "24 rows"));
        l.add(clip("m-zero.mat", "frame size"));
        l.add(clip("no-uint8.mat", "no uint8 matrix"));
        l.add(clip("mat-truncated-data.mat", "truncated"));
        l.add(clip("not-square.mat", "cannot tell the frame size"));
        l.add(clip("empty-folder", "no PNG or PGM frames"));
        l.add(clip("corrupt-png", "not a readable image"));
        l.add(clip("mixed-sizes", "frames of different sizes"));
        l.add(clip("pgm-bad-magic", "not a PGM file"));
        l.add(clip("pgm-truncated", "truncated PGM"));
        l.add(clip("pgm-claims-huge", "truncated PGM"));
        l.add(clip("pgm-bad-header", "corrupt PGM"));
        l.add(clip("pgm-ascii-short", "truncated PGM"));
        l.add(clip("black.npy", "--input", "every pixel of the clip is 0"));
        l.add(clip("black-frames", "--input", "every pixel of the clip is 0"));
        // video options
        l.add(c("video", "lambda -1", a("--lambda", "-1"), "--lambda must be finite and nonnegative, got -1.0"));
        l.add(c("video", "lambda NaN", a("--lambda", "NaN"), "--lambda", "NaN"));
        l.add(c("video", "gamma -0.5", a("--gamma", "-0.5"), "--gamma must be finite and nonnegative"));
        l.add(c("video", "gamma NaN", a("--gamma", "NaN"), "--gamma", "NaN"));
        l.add(c("video", "rank 0", a("--rank", "0"), "--rank must be at least 1, got 0"));
        l.add(c("video", "rank -3", a("--rank", "-3"), "--rank must be at least 1, got -3"));
        l.add(c("video", "rank above min(pixels, frames)", a("--rank", "500"), "--rank must be at most", "clip.npy"));
        l.add(c("video", "max-iter -1", a("--max-iter", "-1"), "--max-iter must be at least 1, got -1"));
        l.add(c("video", "downscale 0", a("--downscale", "0"), "--downscale must be at least 1"));
        l.add(c("video", "downscale larger than frames", a("--downscale", "50"), "downscale factor 50"));
        l.add(c("video", "frames reversed", a("--frames", "5:2"), "--frames", "empty"));
        l.add(c("video", "frames outside", a("--frames", "0:1000"), "outside the clip"));
        l.add(c("video", "frames text", a("--frames", "all-of-them"), "--frames", "a:b"));
        l.add(c("video", "unknown method", a("--methods", "svd"), "--methods", "unknown method 'svd'"));
        l.add(c("video", "unknown start", a("--start", "zero"), "--start", "unknown start 'zero'"));
        // MATPOWER cases
        l.add(matpower("missing.m", "cannot read"));
        l.add(matpower("empty.m", "mpc.bus not found"));
        l.add(matpower("unclosed.m", "is not closed"));
        l.add(matpower("not-number.m", "'abc' is not a number"));
        l.add(matpower("nan-load.m", "line 6", "load Pd", "NaN"));
        l.add(matpower("negative-load.m", "line 6", "load Pd (column 3) is negative"));
        l.add(matpower("inf-pmax.m", "line 9", "Pmax", "Infinity"));
        l.add(matpower("negative-pmax.m", "line 9", "Pmax (column 9) is negative"));
        l.add(matpower("negative-pmin.m", "line 9", "Pmin (column 10) is negative"));
        l.add(matpower("pmin-above-pmax.m", "line 9", "is above Pmax"));
        l.add(matpower("nan-status.m", "line 9", "status"));
        l.add(matpower("nan-cost.m", "line 14", "gencost", "NaN"));
        l.add(matpower("inf-cost.m", "line 14", "gencost", "Infinity"));
        l.add(matpower("cost-rows.m", "one cost row per generator"));
        l.add(matpower("cost-model-3.m", "model must be 1"));
        l.add(matpower("cost-too-short.m", "needs"));
        l.add(matpower("short-gen-row.m", "at least 10 needed"));
        l.add(c("market", "periods 0", a("--periods", "0"), "--periods must be at least 1"));
        l.add(c("market", "periods 1000000", a("--periods", "1000000"), "--periods must be at most 8784"));
        l.add(c("market", "time-limit 0", a("--time-limit", "0"), "--time-limit"));
        l.add(c("market", "time-limit NaN", a("--time-limit", "NaN"), "--time-limit"));
        l.add(c("market", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        l.add(c("market", "unknown preference", a("--preference", "cheap"), "--preference"));
        l.add(c("market", "profile file with text", a("--profile", "@f/profile-text.csv"), "profile-text.csv",
                "line 1"));
        l.add(c("market", "profile too short", a("--profile", "@f/profile-short.csv"), "profile-short.csv",
                "for 2 periods"));
        // IDX data sets
        l.add(c("clean", "missing data set", a("--dataset", "@f/idx-missing"), "idx-missing"));
        l.add(c("clean", "truncated images", a("--dataset", "@f/idx-truncated"), "truncated"));
        l.add(c("clean", "images claim 2e9 bytes", a("--dataset", "@f/idx-huge"), "images-idx3-ubyte",
                "the header announces"));
        l.add(c("clean", "bad magic", a("--dataset", "@f/idx-magic"), "bad magic number"));
        l.add(c("clean", "corruption 2", a("--corruption", "2"), "--corruption must be between 0 and 1, got 2.0"));
        l.add(c("clean", "corruption NaN", a("--corruption", "NaN"), "--corruption", "NaN"));
        l.add(c("clean", "ridge -1", a("--ridge", "-1"), "--ridge must be finite and nonnegative"));
        l.add(c("clean", "alpha -1", a("--alpha", "-1"), "--alpha must be finite and positive"));
        l.add(c("clean", "train 0", a("--train", "0"), "--train must be at least 1"));
        l.add(c("clean", "max-iter 0", a("--max-iter", "0"), "--max-iter"));
        l.add(c("clean", "eval-every 0", a("--eval-every", "0"), "--eval-every"));
        // meha toy
        l.add(c("meha toy", "bome-step -1", a("--bome-step", "-1", "--no-bome", ""),
                "--bome-step must be finite and positive, got -1.0"));
        l.add(c("meha toy", "bome-step NaN", a("--bome-step", "NaN"), "--bome-step"));
        l.add(c("meha toy", "bome-inner 0", a("--bome-inner", "0"), "--bome-inner must be at least 1"));
        l.add(c("meha toy", "bome-eta -1", a("--bome-eta", "-1"), "--bome-eta"));
        l.add(c("meha toy", "tol 0", a("--tol", "0"), "--tol must be positive"));
        l.add(c("meha toy", "dim 0", a("--dim", "0"), "--dim must be at least 1"));
        l.add(c("meha toy", "c0 -1", a("--c0", "-1"), "--c0 must be finite and positive"));
        l.add(c("meha toy", "unknown problem", a("--problem", "cubic"), "cubic"));
        l.add(c("meha toy", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        l.add(c("meha toy", "unknown steps", a("--steps", "fast"), "--steps"));
        // simple
        l.add(c("simple toy", "eta -1", a("--eta", "-1"), "--eta must be positive and finite"));
        l.add(c("simple toy", "gamma 0", a("--gamma", "1,0"), "--gamma must be positive and finite, got 0.0"));
        l.add(c("simple toy", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        l.add(c("simple toy", "eps NaN", a("--eps", "NaN"), "--eps"));
        l.add(c("simple mf", "seeds 0", a("--seeds", "0"), "--seeds must be between 1 and 1000, got 0"));
        l.add(c("simple mf", "seeds 5000", a("--seeds", "5000"), "--seeds must be between 1 and 1000"));
        l.add(c("simple mf", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        l.add(c("simple mf", "threads 0", a("--threads", "0"), "--threads must be at least 1"));
        l.add(c("simple mf", "trace-every 0", a("--trace-every", "0"), "--trace-every must be at least 1"));
        l.add(c("simple mf", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        // minimax
        l.add(c("minimax", "unknown problem", a("--problem", "T9"), "--problem", "T9"));
        l.add(c("minimax", "negative sweep value", a("--sweep", "10,-5"), "--sweep"));
        l.add(c("minimax", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        l.add(c("minimax", "rho -1", a("--rho", "-1"), "--rho must be finite and positive, got -1.0"));
        l.add(c("minimax", "rho 0", a("--rho", "0"), "--rho must be finite and positive, got 0.0"));
        l.add(c("minimax", "rho NaN", a("--rho", "NaN"), "--rho must be finite and positive, got NaN"));
        l.add(c("minimax", "rho Infinity", a("--rho", "Infinity"), "--rho must be finite and positive"));
        l.add(c("minimax", "eps NaN", a("--eps", "NaN"), "--eps must be positive and finite"));
        l.add(c("minimax", "batch 0", a("--stochastic", "", "--batch", "0"), "--batch must be at least 1, got 0"));
        l.add(c("minimax", "batch -3", a("--stochastic", "", "--batch", "-3"), "--batch must be at least 1, got -3"));
        l.add(c("minimax", "batch 1000", a("--stochastic", "", "--batch", "1000"),
                "--batch must be at most 100 (1 to 100), got 1000"));
        l.add(c("minimax", "budget 0", a("--stochastic", "", "--budget", "0"), "--budget must be at least 1, got 0"));
        l.add(c("minimax", "budget -7", a("--stochastic", "", "--budget", "-7"), "--budget must be at least 1"));
        l.add(c("minimax", "stochastic on T2", a("--problem", "T2", "--stochastic", ""), "--stochastic", "T2"));
        l.add(c("minimax", "stochastic on all", a("--problem", "all", "--stochastic", ""), "--stochastic", "all"));
        // robust (the data root holds no FashionMNIST: every option is checked before the data is looked up)
        l.add(c("robust", "no FashionMNIST under --data", a(), "no FashionMNIST data", "empty-folder"));
        l.add(c("robust", "rho 5", a("--rho", "5"), "--rho must be at least 10", "got 5.0"));
        l.add(c("robust", "rho -1", a("--rho", "-1"), "--rho must be at least 10", "got -1.0"));
        l.add(c("robust", "rho NaN", a("--rho", "NaN"), "--rho must be at least 10", "got NaN"));
        l.add(c("robust", "rho Infinity", a("--rho", "Infinity"), "--rho must be at least 10", "finite"));
        l.add(c("robust", "inner-factor 0", a("--inner-factor", "0"), "--inner-factor must be positive and finite"));
        l.add(c("robust", "inner-factor -1", a("--inner-factor", "-1"), "--inner-factor must be positive", "-1.0"));
        l.add(c("robust", "inner-factor NaN", a("--inner-factor", "NaN"), "--inner-factor", "NaN"));
        l.add(c("robust", "inner-factor Infinity", a("--inner-factor", "Infinity"), "--inner-factor", "finite"));
        l.add(c("robust", "max-inner 0", a("--max-inner", "0"), "--max-inner must be at least 1, got 0"));
        l.add(c("robust", "max-inner -5", a("--max-inner", "-5"), "--max-inner must be at least 1, got -5"));
        l.add(c("robust", "max-inner overflow", a("--max-inner", "99999999999"), "--max-inner"));
        l.add(c("robust", "seeds -1", a("--seeds", "-1"), "--seeds must be nonnegative, got -1"));
        l.add(c("robust", "seeds 0,-3", a("--seeds", "0,-3"), "--seeds must be nonnegative, got -3"));
        l.add(c("robust", "seeds without a value", a("--seeds", ""), "--seeds"));
        l.add(c("robust", "seeds not a number", a("--seeds", "0,x"), "--seeds"));
        l.add(c("robust", "101 seeds", a("--seeds", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100"), "--seeds must name at most 100 seeds", "got 101"));
        l.add(c("robust", "seed -2", a("--seed", "-2"), "--seed must be nonnegative, got -2"));
        l.add(c("robust", "seed and seeds", a("--seed", "1", "--seeds", "0,2"), "give either --seed or --seeds"));
        l.add(c("robust", "unknown inner solver", a("--inner", "newton"), "--inner", "newton"));
        l.add(c("robust", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        l.add(c("robust", "threads 0", a("--threads", "0"), "--threads must be at least 1"));
        l.add(c("robust", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        // demo
        l.add(c("demo", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        l.add(c("demo", "max-iter 0", a("--max-iter", "0"), "--max-iter must be at least 1"));
        // market options
        l.add(c("market", "poly-blocks 0", a("--poly-blocks", "0"), "--poly-blocks must be at least 1"));
        l.add(c("market", "price-band NaN", a("--price-band", "NaN"), "--price-band"));
        l.add(c("market", "voll -1", a("--voll", "-1"), "--voll must be finite and positive"));
        l.add(c("market", "rho 0", a("--rho", "0"), "--rho must be finite and positive"));
        l.add(c("market", "mu NaN", a("--mu", "NaN"), "--mu"));
        // --threads of the commands that declare it themselves
        l.add(c("clean", "threads 0", a("--threads", "0"), "--threads must be at least 1, got 0"));
        l.add(c("minimax", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        l.add(c("market", "threads -1", a("--threads", "-1"), "--threads must be at least 1, got -1"));
        l.add(c("meha toy", "threads 0", a("--threads", "0"), "--threads must be at least 1, got 0"));
        l.add(c("simple toy", "threads 2000", a("--threads", "2000"), "--threads must be at most 1024"));
        // bench
        l.add(c("bench binno", "max-iter 0", a("--max-iter", "0"),
                "--max-iter (--iterations) must be at least 1, got 0"));
        l.add(c("bench binno", "max-iter -3", a("--max-iter", "-3"), "--max-iter (--iterations) must be at least 1"));
        l.add(c("bench binno", "threads 0", a("--threads", "0"), "--threads must be at least 1, got 0"));
        l.add(c("bench binno", "gemm-size 0", a("--gemm-size", "0"), "--gemm-size must be positive"));
        l.add(c("bench binno", "gemm-size 1000000", a("--gemm-size", "1000000"), "--gemm-size must be at most"));
        l.add(c("bench binno", "bandwidth-mib 0", a("--bandwidth-mib", "0"), "--bandwidth-mib must be between 1"));
        l.add(c("bench binno", "bandwidth-mib 10000000", a("--bandwidth-mib", "10000000"), "--bandwidth-mib"));
        l.add(c("bench rpca", "max-iter 0", a("--max-iter", "0"), "--max-iter (--iterations) must be at least 1"));
        l.add(c("bench rpca", "threads 100000", a("--threads", "100000"), "--threads must be at most 1024"));
        l.add(c("bench rpca", "size huge", a("--size", "huge"), "--size"));
        l.add(c("bench rpca", "bandwidth-mib -1", a("--bandwidth-mib", "-1"), "--bandwidth-mib"));
        l.add(c("bench meha", "warmup 0", a("--warmup", "0"), "--warmup"));
        l.add(c("bench meha", "rounds 0", a("--rounds", "0"), "--rounds"));
        l.add(c("bench meha", "max-iter 0", a("--max-iter", "0"), "--max-iter (--iterations) must be at least 1"));
        l.add(c("bench meha", "threads 0", a("--threads", "0"), "--threads must be at least 1, got 0"));
        l.add(c("bench meha", "no such data", a("--dataset", "@f/no-such-folder"), "no-such-folder"));
        return l.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void exitsWithTwoOneLineAndLeavesNothing(Case bad) throws IOException {
        Path out = outs.resolve("report");
        if (bad.userFileInOut()) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("table.csv"), "the user's own table\n");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        String[] base = BASE.get(bad.command());
        for (int i = 0; i < base.length; i += 2) {
            opts.put(base[i], base[i + 1]);
        }
        for (int i = 0; i < bad.args().length; i += 2) {
            opts.put(bad.args()[i], bad.args()[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of(bad.command().split(" ")));
        opts.forEach((k, v) -> {
            args.add(k);
            if (!v.isEmpty()) {
                args.add(v.equals("@out") ? out.toString() : v.startsWith("@f/") ? FILES.resolve(v.substring(3))
                        .toString() : v);
            }
        });
        List<String> inputsBefore = listing(FILES);
        List<String> outsBefore = listing(outs);
        CliRunner.Run r = CliRunner.run(args.toArray(new String[0]));
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("bilevel4j: error: ").contains(bad.fragments());
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(listing(outs)).as("beside --out: no report, no staging folder").isEqualTo(outsBefore);
        if (bad.userFileInOut()) {
            assertThat(listing(out)).containsExactly("table.csv");
            assertThat(Files.readString(out.resolve("table.csv"))).isEqualTo("the user's own table\n");
        }
        assertThat(listing(FILES)).as("the inputs").isEqualTo(inputsBefore);
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- the files

    private static void writeFiles(Path d) throws IOException {
        // matrices: 6x4 good ones
        double[] good = new double[24];
        for (int i = 0; i < good.length; i++) {
            good[i] = Math.sin(i + 1.0);
        }
        Files.write(d.resolve("good.npy"), npy("'<f8'", "False", "(6, 4)", doubles(good)));
        Files.writeString(d.resolve("good.csv"), "1,2\n3,4\n");
        Files.write(d.resolve("empty.npy"), new byte[0]);
        Files.write(d.resolve("five-bytes.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P'});
        Files.write(d.resolve("bad-magic.npy"), "PK\u0003\u0004 this is a zip file, not npy".getBytes(
                StandardCharsets.ISO_8859_1));
        byte[] v9 = npy("'<f8'", "False", "(6, 4)", doubles(good));
        v9[6] = 9;
        Files.write(d.resolve("version9.npy"), v9);
        byte[] beyond = Arrays.copyOf(npy("'<f8'", "False", "(6, 4)", doubles(good)), 40);
        Files.write(d.resolve("header-beyond-file.npy"), beyond);
        Files.write(d.resolve("claims-30000.npy"), npy("'<f8'", "False", "(30000, 30000)", new byte[2400]));
        Files.write(d.resolve("claims-12000.npy"), npy("'<f8'", "False", "(12000, 12000)", new byte[2400]));
        Files.write(d.resolve("claims-2e9-rows.npy"), npy("'<f8'", "False", "(3000000000, 2)", new byte[64]));
        Files.write(d.resolve("truncated-data.npy"), npy("'<f8'", "False", "(6, 4)",
                Arrays.copyOf(doubles(good), 100)));
        byte[] trailing = Arrays.copyOf(doubles(good), 24 * 8 + 5);
        Files.write(d.resolve("trailing.npy"), npy("'<f8'", "False", "(6, 4)", trailing));
        Files.write(d.resolve("no-descr.npy"), npyRaw("{'fortran_order': False, 'shape': (6, 4), }", doubles(good)));
        Files.write(d.resolve("complex.npy"), npy("'<c16'", "False", "(6, 2)", doubles(good)));
        Files.write(d.resolve("half.npy"), npy("'<f2'", "False", "(6, 4)", new byte[48]));
        Files.write(d.resolve("no-order.npy"), npy("'|f8'", "False", "(6, 4)", doubles(good)));
        Files.write(d.resolve("no-fortran.npy"), npyRaw("{'descr': '<f8', 'shape': (6, 4), }", doubles(good)));
        Files.write(d.resolve("no-shape.npy"), npyRaw("{'descr': '<f8', 'fortran_order': False, }", doubles(good)));
        Files.write(d.resolve("three-d.npy"), npy("'<f8'", "False", "(2, 3, 4)", doubles(good)));
        Files.write(d.resolve("scalar.npy"), npy("'<f8'", "False", "()", doubles(new double[] {1})));
        Files.write(d.resolve("negative-shape.npy"), npy("'<f8'", "False", "(-6, 4)", doubles(good)));
        Files.write(d.resolve("empty-shape.npy"), npy("'<f8'", "False", "(0, 4)", new byte[0]));
        double[] nan = good.clone();
        nan[5] = Double.NaN;
        Files.write(d.resolve("nan.npy"), npy("'<f8'", "False", "(6, 4)", doubles(nan)));
        double[] inf = good.clone();
        inf[7] = Double.POSITIVE_INFINITY;
        Files.write(d.resolve("inf.npy"), npy("'<f8'", "False", "(6, 4)", doubles(inf)));
        Files.write(d.resolve("zeros.npy"), npy("'<f8'", "False", "(6, 4)", new byte[24 * 8]));
        Files.write(d.resolve("tiny-scale.npy"), npy("'<f8'", "False", "(6, 4)", doubles(scaled(good, 1e-300))));
        Files.write(d.resolve("huge-scale.npy"), npy("'<f8'", "False", "(6, 4)", doubles(scaled(good, 1e160))));
        Files.write(d.resolve("fortran-truncated.npy"), npy("'<f8'", "True", "(6, 4)",
                Arrays.copyOf(doubles(good), 64)));
        Files.write(d.resolve("header-length-zero.npy"), npyRaw("", doubles(good)));
        // csv
        Files.writeString(d.resolve("empty.csv"), "");
        Files.writeString(d.resolve("only-header.csv"), "a,b,c\n");
        Files.writeString(d.resolve("only-comments.csv"), "# nothing\n\n# here\n");
        Files.writeString(d.resolve("ragged.csv"), "1,2,3\n4,5,6\n7,8\n");
        Files.writeString(d.resolve("first-row-malformed.csv"), "1,2,x3\n4,5,6\n7,8,9\n");
        Files.writeString(d.resolve("middle-malformed.csv"), "a,b\n1,2\n3,4..5\n");
        Files.writeString(d.resolve("nan.csv"), "1,2\nnan,4\n5,6\n");
        Files.writeString(d.resolve("inf.csv"), "1,2\n3,inf\n5,6\n");
        Files.writeString(d.resolve("minus-inf.csv"), "1,2\n3,-Infinity\n5,6\n");
        Files.writeString(d.resolve("overflow.csv"), "1,2\n3,1e999\n5,6\n");
        Files.writeString(d.resolve("empty-field.csv"), "1,2,3\n4,,6\n7,8,9\n");
        Files.write(d.resolve("binary.csv"), new byte[] {1, 2, 3, (byte) 0xff, (byte) 0xfe, 10, 0, 0, 7, 10});
        Files.writeString(d.resolve("hex.csv"), "1,2\n0x10,4\n5,6\n");
        Files.writeString(d.resolve("header-wrong-width.csv"), "a,b,c\n1,2\n3,4\n");
        Files.writeString(d.resolve("tiny-scale.csv"), "1e-200,2e-200\n3e-200,4e-200\n5e-200,6e-200\n");
        Files.writeString(d.resolve("huge-scale.csv"), "1e200,2e200\n3e200,4e200\n5e200,6e200\n");
        Files.writeString(d.resolve("zeros.csv"), "0,0\n0,0\n0,0\n");
        Files.writeString(d.resolve("one-row-text-number.csv"), "one,2\n3,4\n");
        // Matrix Market
        String h = "%%MatrixMarket matrix coordinate real general\n";
        Files.writeString(d.resolve("empty.mtx"), "");
        Files.writeString(d.resolve("no-banner.mtx"), "3 3 1\n1 1 1\n");
        Files.writeString(d.resolve("short-banner.mtx"), "%%MatrixMarket matrix coordinate\n3 3 1\n1 1 1\n");
        Files.writeString(d.resolve("vector.mtx"), "%%MatrixMarket vector coordinate real general\n3 3 1\n1 1 1\n");
        Files.writeString(d.resolve("format-foo.mtx"), "%%MatrixMarket matrix foo real general\n3 3\n");
        Files.writeString(d.resolve("complex.mtx"), "%%MatrixMarket matrix coordinate complex general\n3 3 1\n1 1 1 0\n");
        Files.writeString(d.resolve("hermitian.mtx"), "%%MatrixMarket matrix coordinate real hermitian\n3 3 1\n1 1 1\n");
        Files.writeString(d.resolve("non-square-symmetric.mtx"),
                "%%MatrixMarket matrix coordinate real symmetric\n3 4 1\n1 1 1\n");
        Files.writeString(d.resolve("no-size.mtx"), h + "% only comments\n");
        Files.writeString(d.resolve("size-two-tokens.mtx"), h + "3 3\n1 1 1\n");
        Files.writeString(d.resolve("negative-size.mtx"), h + "-3 3 1\n1 1 1\n");
        Files.writeString(d.resolve("array-claims-30000.mtx"), "%%MatrixMarket matrix array real general\n30000 30000\n"
                + "1\n".repeat(1000));
        Files.writeString(d.resolve("coordinate-claims-1e9.mtx"), h + "20000 20000 1000000000\n1 1 1\n");
        Files.writeString(d.resolve("coordinate-claims-50000.mtx"), h + "50000 50000 1\n1 1 1\n");
        Files.writeString(d.resolve("truncated-entries.mtx"), h + "6 4 4\n1 1 1\n2 2 2\n");
        Files.writeString(d.resolve("extra-entries.mtx"), h + "6 4 2\n1 1 1\n2 2 2\n3 3 3\n");
        Files.writeString(d.resolve("row-zero.mtx"), h + "6 4 2\n0 1 1\n2 2 2\n");
        Files.writeString(d.resolve("column-too-large.mtx"), h + "6 4 2\n1 9 1\n2 2 2\n");
        Files.writeString(d.resolve("index-not-integer.mtx"), h + "6 4 2\n1.5 1 1\n2 2 2\n");
        Files.writeString(d.resolve("value-not-number.mtx"), h + "6 4 2\n1 1 abc\n2 2 2\n");
        Files.writeString(d.resolve("nan-value.mtx"), h + "6 4 2\n1 1 nan\n2 2 2\n");
        Files.writeString(d.resolve("integer-with-fraction.mtx"),
                "%%MatrixMarket matrix coordinate integer general\n6 4 2\n1 1 1.5\n2 2 2\n");
        Files.writeString(d.resolve("pattern-with-value.mtx"),
                "%%MatrixMarket matrix coordinate pattern general\n6 4 2\n1 1 1\n2 2 2\n");
        Files.writeString(d.resolve("pattern-array.mtx"), "%%MatrixMarket matrix array pattern general\n2 2\n");
        Files.writeString(d.resolve("symmetric-upper.mtx"),
                "%%MatrixMarket matrix coordinate real symmetric\n4 4 2\n2 1 1\n1 3 2\n");
        Files.writeString(d.resolve("skew-diagonal.mtx"),
                "%%MatrixMarket matrix coordinate real skew-symmetric\n4 4 2\n2 1 1\n3 3 2\n");
        Files.writeString(d.resolve("skew-pattern.mtx"),
                "%%MatrixMarket matrix coordinate pattern skew-symmetric\n4 4 1\n2 1\n");
        Files.writeString(d.resolve("array-truncated.mtx"), "%%MatrixMarket matrix array real general\n6 4\n"
                + "1\n".repeat(20));
        Files.writeString(d.resolve("array-extra.mtx"), "%%MatrixMarket matrix array real general\n6 4\n"
                + "1\n".repeat(25));
        Files.writeString(d.resolve("entry-two-fields.mtx"), h + "6 4 2\n1 1\n2 2 2\n");
        Files.writeString(d.resolve("matrix.txt"), "1 2\n3 4\n");
        Files.createDirectories(d.resolve("folder.npy"));
        Files.createSymbolicLink(d.resolve("device.npy"), Path.of("/dev/zero"));
        Files.createSymbolicLink(d.resolve("device.avi"), Path.of("/dev/zero"));
        // clips: a valid 12 x 16 x 10 frames .npy, and broken files of each format
        writeClipNpy(d.resolve("clip.npy"), "|u1", "False", 10, 12, 16, 10 * 12 * 16);
        writeNpyClipShape(d.resolve("black.npy"), "(10, 12, 16)", 10 * 12 * 16);
        Files.write(d.resolve("empty.avi"), new byte[0]);
        Files.writeString(d.resolve("unknown.txt"), "hello, this is not a clip\n");
        writeClipNpy(d.resolve("frames-bad-dtype.npy"), "<f8", "False", 2, 4, 4, 2 * 4 * 4 * 8);
        writeClipNpy(d.resolve("frames-fortran.npy"), "|u1", "True", 2, 4, 4, 2 * 4 * 4);
        writeNpyClipShape(d.resolve("frames-2d.npy"), "(4, 4)", 16);
        writeClipNpy(d.resolve("frames-truncated.npy"), "|u1", "False", 10, 12, 16, 500);
        writeClipNpy(d.resolve("frames-claims-huge.npy"), "|u1", "False", 100000, 1000, 1000, 2000);
        Files.writeString(d.resolve("not-riff.avi"), "RIFX1234AVI garbage that is not RIFF");
        Files.write(d.resolve("truncated.avi"), Arrays.copyOf(avi(null, 4, 4, 2, 24), 60));
        Files.write(d.resolve("compressed.avi"), avi("XVID", 4, 4, 2, 24));
        Files.write(d.resolve("no-movi.avi"), aviNoMovi());
        Files.write(d.resolve("huge-frame.avi"), avi(null, 4, 4, 2, 24, 200000, 200000));
        byte[] mat = mat(5, 5, 24, 4, true);
        Files.write(d.resolve("short-header.mat"), Arrays.copyOf(mat, 100));
        byte[] notLevel5 = mat.clone();
        notLevel5[0] = 'X';
        Files.write(d.resolve("not-level5.mat"), notLevel5);
        Files.write(d.resolve("m-n-contradict.mat"), mat);
        Files.write(d.resolve("m-zero.mat"), mat(0, 5, 25, 4, true));
        Files.write(d.resolve("no-uint8.mat"), matHeaderWith(matrix("X", 6, new int[] {1, 1}, 9, new byte[8])));
        byte[] full = mat(5, 5, 25, 4, true);
        Files.write(d.resolve("mat-truncated-data.mat"), Arrays.copyOf(full, full.length - 60));
        Files.write(d.resolve("not-square.mat"), mat(-1, -1, 24, 4, false));
        Files.createDirectories(d.resolve("empty-folder"));
        Path corrupt = Files.createDirectories(d.resolve("corrupt-png"));
        Files.write(corrupt.resolve("f1.png"), Arrays.copyOf(png(8, 8), 30));
        Path mixed = Files.createDirectories(d.resolve("mixed-sizes"));
        Files.write(mixed.resolve("f1.png"), png(8, 8));
        Files.write(mixed.resolve("f2.png"), png(8, 6));
        Path pgm1 = Files.createDirectories(d.resolve("pgm-bad-magic"));
        Files.writeString(pgm1.resolve("f1.pgm"), "P6\n4 4\n255\n" + "x".repeat(48));
        Path pgm2 = Files.createDirectories(d.resolve("pgm-truncated"));
        Files.write(pgm2.resolve("f1.pgm"), concat("P5\n4 4\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[10]));
        Path pgm3 = Files.createDirectories(d.resolve("pgm-claims-huge"));
        Files.write(pgm3.resolve("f1.pgm"), concat("P5\n100000 100000\n255\n".getBytes(StandardCharsets.US_ASCII),
                new byte[100]));
        Path pgm4 = Files.createDirectories(d.resolve("pgm-bad-header"));
        Files.writeString(pgm4.resolve("f1.pgm"), "P5\nfour 4\n255\n" + "x".repeat(16));
        Path pgm5 = Files.createDirectories(d.resolve("pgm-ascii-short"));
        Files.writeString(pgm5.resolve("f1.pgm"), "P2\n4 4\n255\n1 2 3\n");
        Path black = Files.createDirectories(d.resolve("black-frames"));
        for (int k = 1; k <= 4; k++) {
            Files.write(black.resolve("f" + k + ".pgm"), concat("P5\n8 8\n255\n".getBytes(StandardCharsets.US_ASCII),
                    new byte[64]));
        }
        // MATPOWER cases: line 6 is the bus row, line 9 the first generator, line 14 the first cost row
        Files.writeString(d.resolve("good.m"), caseText("150", "100", "0", "1", "10"));
        Files.writeString(d.resolve("empty.m"), "");
        Files.writeString(d.resolve("unclosed.m"), caseText("150", "100", "0", "1", "10").replace("];\nmpc.gen",
                "\nmpc.gen").substring(0, 120));
        Files.writeString(d.resolve("not-number.m"), caseText("abc", "100", "0", "1", "10"));
        Files.writeString(d.resolve("nan-load.m"), caseText("NaN", "100", "0", "1", "10"));
        Files.writeString(d.resolve("negative-load.m"), caseText("-150", "100", "0", "1", "10"));
        Files.writeString(d.resolve("inf-pmax.m"), caseText("150", "Inf", "0", "1", "10"));
        Files.writeString(d.resolve("negative-pmax.m"), caseText("150", "-100", "0", "1", "10"));
        Files.writeString(d.resolve("negative-pmin.m"), caseText("150", "100", "-5", "1", "10"));
        Files.writeString(d.resolve("pmin-above-pmax.m"), caseText("150", "100", "200", "1", "10"));
        Files.writeString(d.resolve("nan-status.m"), caseText("150", "100", "0", "NaN", "10"));
        Files.writeString(d.resolve("nan-cost.m"), caseText("150", "100", "0", "1", "NaN"));
        Files.writeString(d.resolve("inf-cost.m"), caseText("150", "100", "0", "1", "Inf"));
        Files.writeString(d.resolve("cost-rows.m"), caseText("150", "100", "0", "1", "10")
                .replace("\t2\t0\t0\t2\t10\t0;\n];", "];"));
        Files.writeString(d.resolve("cost-model-3.m"), caseText("150", "100", "0", "1", "10")
                .replaceFirst("\t2\t0\t0\t2\t10\t0;", "\t3\t0\t0\t2\t10\t0;"));
        Files.writeString(d.resolve("cost-too-short.m"), caseText("150", "100", "0", "1", "10")
                .replaceFirst("\t2\t0\t0\t2\t10\t0;", "\t2\t0\t0\t5\t10\t0;"));
        Files.writeString(d.resolve("short-gen-row.m"), caseText("150", "100", "0", "1", "10")
                .replaceFirst("\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;", "\t1\t0\t0\t0;"));
        Files.writeString(d.resolve("profile-text.csv"), "high, low\n");
        Files.writeString(d.resolve("profile-short.csv"), "1.0\n");
        // IDX data sets (the test file split into the three sets)
        Path idx = Files.createDirectories(d.resolve("idx-good"));
        Files.write(idx.resolve("t10k-images-idx3-ubyte.gz"), gzip(idxImages(300, 5, 300 * 25)));
        Files.write(idx.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idxLabels(300)));
        Path cut = Files.createDirectories(d.resolve("idx-truncated"));
        Files.write(cut.resolve("t10k-images-idx3-ubyte"), idxImages(300, 5, 300 * 25 - 40));
        Files.write(cut.resolve("t10k-labels-idx1-ubyte"), idxLabels(300));
        Path huge = Files.createDirectories(d.resolve("idx-huge"));
        Files.write(huge.resolve("t10k-images-idx3-ubyte"), idxImages(2_000_000, 28, 1000));
        Files.write(huge.resolve("t10k-labels-idx1-ubyte"), idxLabels(300));
        Path magic = Files.createDirectories(d.resolve("idx-magic"));
        byte[] wrong = idxImages(300, 5, 300 * 25);
        wrong[3] = 0x01;
        Files.write(magic.resolve("t10k-images-idx3-ubyte"), wrong);
        Files.write(magic.resolve("t10k-labels-idx1-ubyte"), idxLabels(300));
    }

    private static String caseText(String pd, String pmax, String pmin, String status, String cost) {
        return String.join("\n",
                "function mpc = tiny",
                "mpc.version = '2';",
                "mpc.baseMVA = 100;",
                "%% bus data",
                "mpc.bus = [",
                "\t1\t3\t" + pd + "\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;",
                "];",
                "mpc.gen = [",
                "\t1\t0\t0\t0\t0\t1\t100\t" + status + "\t" + pmax + "\t" + pmin + ";",
                "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;",
                "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;",
                "];",
                "mpc.gencost = [",
                "\t2\t0\t0\t2\t" + cost + "\t0;",
                "\t2\t0\t0\t2\t10\t0;",
                "\t2\t0\t0\t2\t10\t0;",
                "];",
                "");
    }

    static double[] scaled(double[] v, double s) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= s;
        }
        return r;
    }

    static byte[] doubles(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    /** A version 1.0 .npy file with the given header fields and data bytes. */
    static byte[] npy(String descr, String fortran, String shape, byte[] data) {
        return npyRaw("{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }", data);
    }

    static byte[] npyRaw(String dict, byte[] data) {
        StringBuilder h = new StringBuilder(dict);
        if (!dict.isEmpty()) {
            while ((10 + h.length() + 1) % 64 != 0) {
                h.append(' ');
            }
            h.append('\n');
        }
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x93);
        o.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        o.write(1);
        o.write(0);
        o.write(head.length & 0xff);
        o.write(head.length >> 8);
        o.writeBytes(head);
        o.writeBytes(data);
        return o.toByteArray();
    }

    private static void writeClipNpy(Path f, String descr, String fortran, int t, int hh, int w, int bytes)
            throws IOException {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 37 + i / 7);
        }
        Files.write(f, npy("'" + descr + "'", fortran, "(" + t + ", " + hh + ", " + w + ")", data));
    }

    private static void writeNpyClipShape(Path f, String shape, int bytes) throws IOException {
        Files.write(f, npy("'|u1'", "False", shape, new byte[bytes]));
    }

    static byte[] avi(String compression, int hh, int w, int frames, int bits) {
        return avi(compression, hh, w, frames, bits, w, hh);
    }

    /** An uncompressed AVI of gray frames; {@code hw, hh2} are the sizes its headers claim. */
    static byte[] avi(String compression, int hh, int w, int frames, int bits, int claimW, int claimH) {
        int stride = (w * bits / 8 + 3) & ~3;
        ByteArrayOutputStream movi = new ByteArrayOutputStream();
        movi.writeBytes(ascii("movi"));
        for (int k = 0; k < frames; k++) {
            movi.writeBytes(chunk("00db", new byte[stride * hh]));
        }
        ByteBuffer avih = le(56);
        avih.putInt(16, frames);
        avih.putInt(24, 1);
        avih.putInt(32, claimW);
        avih.putInt(36, claimH);
        ByteBuffer strh = le(56);
        strh.put(0, ascii("vids"));
        strh.put(4, ascii(compression == null ? "DIB " : compression));
        ByteBuffer strf = le(40);
        strf.putInt(0, 40);
        strf.putInt(4, claimW);
        strf.putInt(8, claimH);
        strf.putShort(12, (short) 1);
        strf.putShort(14, (short) bits);
        if (compression != null) {
            strf.put(16, ascii(compression));
        }
        byte[] strl = concat(ascii("strl"), chunk("strh", strh.array()), chunk("strf", strf.array()));
        byte[] hdrl = concat(ascii("hdrl"), chunk("avih", avih.array()), chunk("LIST", strl));
        return chunk("RIFF", concat(ascii("AVI "), chunk("LIST", hdrl), chunk("LIST", movi.toByteArray())));
    }

    static byte[] aviNoMovi() {
        byte[] full = avi(null, 4, 4, 1, 24);
        // the same headers without the movi list
        ByteBuffer strh = le(56);
        strh.put(0, ascii("vids"));
        strh.put(4, ascii("DIB "));
        ByteBuffer strf = le(40);
        strf.putInt(0, 40);
        strf.putInt(4, 4);
        strf.putInt(8, 4);
        strf.putShort(12, (short) 1);
        strf.putShort(14, (short) 24);
        byte[] strl = concat(ascii("strl"), chunk("strh", strh.array()), chunk("strf", strf.array()));
        byte[] hdrl = concat(ascii("hdrl"), chunk("avih", le(56).array()), chunk("LIST", strl));
        return full.length > 0 ? chunk("RIFF", concat(ascii("AVI "), chunk("LIST", hdrl))) : full;
    }

    /**
     * A level-5 MAT-file: scalars m and n (omitted when negative) and X, a uint8 pixels x frames
     * matrix.
     */
    static byte[] mat(int m, int n, int pixels, int frames, boolean withSizes) {
        byte[] x = new byte[pixels * frames];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (i * 11);
        }
        List<byte[]> els = new ArrayList<>();
        if (withSizes && m >= 0) {
            els.add(doubleScalar("m", m));
        }
        if (withSizes && n >= 0) {
            els.add(doubleScalar("n", n));
        }
        els.add(matrix("X", 9, new int[] {pixels, frames}, 2, x));
        return matHeaderWith(els.toArray(new byte[0][]));
    }

    static byte[] matHeaderWith(byte[]... elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = new byte[116];
        Arrays.fill(text, (byte) ' ');
        byte[] t = "MATLAB 5.0 MAT-file, written by a bilevel4j test".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, text, 0, t.length);
        out.writeBytes(text);
        out.writeBytes(new byte[8]);
        out.writeBytes(new byte[] {0, 1, 'I', 'M'});
        for (byte[] e : elements) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    private static byte[] doubleScalar(String name, double v) {
        ByteBuffer b = le(8);
        b.putDouble(0, v);
        return matrix(name, 6, new int[] {1, 1}, 9, b.array());
    }

    static byte[] matrix(String name, int mxClass, int[] dims, int dataType, byte[] real) {
        ByteBuffer flags = le(8);
        flags.putInt(0, mxClass);
        ByteBuffer dd = le(4 * dims.length);
        for (int i = 0; i < dims.length; i++) {
            dd.putInt(4 * i, dims[i]);
        }
        byte[] body = concat(element(6, flags.array()), element(5, dd.array()),
                element(1, name.getBytes(StandardCharsets.US_ASCII)), element(dataType, real));
        return concat(tag(14, body.length), body);
    }

    private static byte[] element(int type, byte[] data) {
        int padded = (data.length + 7) & ~7;
        byte[] out = new byte[8 + padded];
        System.arraycopy(tag(type, data.length), 0, out, 0, 8);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    private static byte[] tag(int type, int n) {
        ByteBuffer b = le(8);
        b.putInt(0, type);
        b.putInt(4, n);
        return b.array();
    }

    static byte[] chunk(String id, byte[] data) {
        byte[] out = new byte[8 + data.length + (data.length & 1)];
        System.arraycopy(ascii(id), 0, out, 0, 4);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, data.length);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] png(int w, int hh) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, hh,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 31 + y * 17) & 0xff);
            }
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", o);
        return o.toByteArray();
    }

    /** IDX images with the header's count and size, and {@code bytes} bytes of pixels. */
    static byte[] idxImages(int count, int side, int bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x803);
        o.writeInt(count);
        o.writeInt(side);
        o.writeInt(side);
        for (int i = 0; i < bytes; i++) {
            o.writeByte(i * 7);
        }
        return b.toByteArray();
    }

    static byte[] idxLabels(int count) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x801);
        o.writeInt(count);
        for (int i = 0; i < count; i++) {
            o.writeByte(i % 10);
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }
}
