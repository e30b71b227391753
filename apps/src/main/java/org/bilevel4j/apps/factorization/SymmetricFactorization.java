package org.bilevel4j.apps.factorization;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The symmetric factorization instance of the DBGD experiments (the paper's problem (25)):
 * <pre>
 *   minimize f(U)  subject to  U in argmin_V 1/4 ||V V^T - A||_F^2,   U, V in R^(n x r),
 * </pre>
 * with {@code A = W W^T + shift I}, W with standard normal entries, and the start
 * {@code U0 = 0.1 N(0, 1)}. The generator is {@code SplittableRandom(seed)}: W row by row, then U0
 * row by row (polar Box-Muller), so the two choices of {@code shift} share W and U0 for one seed.
 *
 * @param w the factor W (n x r)
 * @param a {@code W W^T + shift I} (n x n)
 * @param start U0 (n x r)
 * @param shift the multiple of the identity added to {@code W W^T}
 * @param seed the seed that made it
 */
public record SymmetricFactorization(DMatrixRMaj w, DMatrixRMaj a, DMatrixRMaj start, double shift, long seed) {

    /**
     * @param n rows of U and size of A, at least 1
     * @param r columns of U (the rank), 1 to n
     * @param shift finite
     * @param seed the seed
     * @return the instance
     */
    public static SymmetricFactorization generate(int n, int r, double shift, long seed) {
        if (n < 1 || r < 1 || r > n) {
            throw new IllegalArgumentException("need 1 <= r <= n, got n=" + n + ", r=" + r);
        }
        if (!Double.isFinite(shift)) {
            throw new IllegalArgumentException("shift must be finite, got " + shift);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj w = new DMatrixRMaj(n, r);
        for (int i = 0; i < w.getNumElements(); i++) {
            w.data[i] = Gaussian.next(rnd);
        }
        DMatrixRMaj u0 = new DMatrixRMaj(n, r);
        for (int i = 0; i < u0.getNumElements(); i++) {
            u0.data[i] = 0.1 * Gaussian.next(rnd);
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        Gemm.multTransB(w, w, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, shift);
        }
        // exact symmetry (the product is symmetric up to rounding only in principle)
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a.set(j, i, a.get(i, j));
            }
        }
        return new SymmetricFactorization(w, a, u0, shift, seed);
    }

    /** @return n */
    public int n() {
        return a.numRows;
    }

    /** @return r */
    public int r() {
        return w.numCols;
    }

    /** @return {@code ||A||_2} */
    public double spectralNorm() {
        return MatOps.spectralNorm(a);
    }

    /** @return the lower level {@code g(U) = 1/4 ||U U^T - A||_F^2} */
    public SymmetricFactorizationLoss lower() {
        return new SymmetricFactorizationLoss(a);
    }

    /**
     * @param upper the upper-level function
     * @return the problem with the given upper level and this instance's lower level
     */
    public SimpleBilevelProblem problem(SmoothFunction upper) {
        return SimpleBilevelProblem.of(upper, lower());
    }

    /**
     * {@code min g = 1/4 sum_{i > r} lambda_i(A)^2} over the eigenvalues in decreasing order, valid
     * for a positive semidefinite A ({@code shift >= 0}): 0 for {@code W W^T}, {@code (n - r) shift^2 / 4}
     * for {@code W W^T + shift I} with W of full rank.
     *
     * @return the minimum of g
     */
    public double lowerMinimum() {
        if (shift < 0) {
            throw new IllegalStateException("lowerMinimum is written for a positive semidefinite A (shift >= 0)");
        }
        int n = n();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        if (!eig.decompose(a.copy())) {
            throw new IllegalStateException("eigen-decomposition of A failed");
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = eig.getEigenvalue(i).real;
        }
        Arrays.sort(ev);
        double s = 0;
        for (int i = 0; i < n - r(); i++) {
            s += ev[i] * ev[i];
        }
        return 0.25 * s;
    }
}
