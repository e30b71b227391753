package org.bilevel4j.solver.baseline;

import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Nonnegative matrix factorization {@code M ~ W H} (W m x r, H r x n, both nonnegative) by the
 * multiplicative updates of Lee and Seung [1] for the Frobenius loss
 * {@code 1/2 ||M - W H||_F^2}:
 * <pre>
 *   H &lt;- H .* (W^T M) ./ (W^T W H + eps)
 *   W &lt;- W .* (M H^T) ./ (W (H H^T) + eps)
 * </pre>
 * with {@code eps = 1e-16} keeping a zero denominator from producing 0/0 (it changes no entry of
 * size above about 1e-16). Each update does not increase the loss [1]. An iteration makes two
 * passes over M ({@code W^T M} and {@code M H^T}, about {@code 4 m n r} flops); the loss is read off
 * the same products and the r x r Gram matrices, without another pass.
 *
 * <p>NMF needs {@code M >= 0}. Negative entries (a rank-k truncation of a clip has a few tiny ones)
 * are clipped to zero in a private copy; {@link #countNegative} reports how many and the state keeps
 * the count ({@link NmfState#clippedEntries()}). Without negative entries M is used as is.
 *
 * <p>Start: W and H uniform on [0, 1) from the seed ({@link #uniformStart}); a start must be
 * nonnegative. The low-rank estimate is {@code L = W H}, the sparse part {@code M - W H}.
 * Trace column: {@code loss} ({@code 1/2 ||M - W H||_F^2}, on the clipped data).
 *
 * <p>[1] D. D. Lee, H. S. Seung, "Algorithms for non-negative matrix factorization", NIPS 13, 2001.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class Nmf implements IterativeSolver<DMatrixRMaj, BlockIterate, NmfState> {

    /** The guard added to the denominators. */
    public static final double EPS = 1e-16;

    @Override
    public String name() {
        return "NMF(Lee-Seung)";
    }

    /**
     * @param m the matrix
     * @return the number of negative entries of m
     */
    public static long countNegative(DMatrixRMaj m) {
        long c = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            if (m.data[i] < 0) {
                c++;
            }
        }
        return c;
    }

    /**
     * W (rows x rank) and H (rank x cols) uniform on [0, 1) from an L64X128MixRandom generator with
     * the given seed, W row by row first.
     *
     * @param rows the number of rows
     * @param cols the number of columns
     * @param rank the inner dimension r
     * @param seed the seed of the random generator
     * @return the start (W, H)
     */
    public static BlockIterate uniformStart(int rows, int cols, int rank, long seed) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        DMatrixRMaj w = new DMatrixRMaj(rows, rank);
        DMatrixRMaj h = new DMatrixRMaj(rank, cols);
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = rnd.nextDouble();
        }
        for (int i = 0; i < h.data.length; i++) {
            h.data[i] = rnd.nextDouble();
        }
        return new BlockIterate(w, h);
    }

    @Override
    public NmfState init(DMatrixRMaj m, BlockIterate start, SolverOptions options) {
        DMatrixRMaj w = start.x();
        DMatrixRMaj h = start.y();
        if (w.numRows != m.numRows || h.numCols != m.numCols || w.numCols != h.numRows) {
            throw new IllegalArgumentException("start W " + w.numRows + "x" + w.numCols + ", H " + h.numRows + "x"
                    + h.numCols + " do not factor a " + m.numRows + "x" + m.numCols + " matrix");
        }
        if (!MatOps.isFinite(m)) {
            throw new IllegalArgumentException("the data matrix has non-finite entries");
        }
        for (double v : w.data) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("start W must be nonnegative and finite");
            }
        }
        for (double v : h.data) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("start H must be nonnegative and finite");
            }
        }
        long negative = countNegative(m);
        DMatrixRMaj data = m;
        if (negative > 0) {
            data = m.copy();
            for (int i = 0; i < data.data.length; i++) {
                if (data.data[i] < 0) {
                    data.data[i] = 0.0;
                }
            }
        }
        return new NmfState(data, negative, w, h);
    }

    @Override
    public void step(DMatrixRMaj m, NmfState s) {
        s.step();
    }
}
