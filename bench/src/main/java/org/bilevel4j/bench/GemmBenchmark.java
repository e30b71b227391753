package org.bilevel4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bilevel4j.linalg.Gemm;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two thin products of a BINNO iteration through {@link Gemm}, on an m x n matrix M with rank
 * r: {@code P = M Y^T} (m x r) and {@code Q = [Xu Xl]^T M} (2r x n). Together they are the
 * {@code 6 m n r} flops and two passes over M of the performance model. Shapes are
 * {@code "m x n x r"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class GemmBenchmark {

    @Param({"2304x50x9", "76800x500x10"})
    public String shape;

    private DMatrixRMaj m;
    private DMatrixRMaj y;
    private DMatrixRMaj xs;
    private DMatrixRMaj p;
    private DMatrixRMaj q;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = shape.split("x");
        int rows = Integer.parseInt(d[0]);
        int cols = Integer.parseInt(d[1]);
        int r = Integer.parseInt(d[2]);
        SplittableRandom rnd = new SplittableRandom(7);
        m = random(rows, cols, rnd);
        y = random(r, cols, rnd);
        xs = random(rows, 2 * r, rnd);
        p = new DMatrixRMaj(rows, r);
        q = new DMatrixRMaj(2 * r, cols);
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** {@code P = M Y^T}: one pass over M, 2 m n r flops. */
    @Benchmark
    public DMatrixRMaj mYt() {
        Gemm.multTransB(m, y, p);
        return p;
    }

    /** {@code Q = [Xu Xl]^T M}: one pass over M, 4 m n r flops. */
    @Benchmark
    public DMatrixRMaj xtM() {
        Gemm.multTransA(xs, m, q);
        return q;
    }
}
