package org.bilevel4j.spark.binno;

import java.io.Serializable;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.binno.BinnoRules;
import org.ejml.data.DMatrixRMaj;

/**
 * The per-row-block work of the distributed BINNO iteration ({@link SparkBinno}), as plain functions
 * of one block of M (k x n) and the same rows of the factors. Each function reads its block of M at
 * most once. No Spark here: the tests call these directly.
 */
final class BlockKernels {

    private BlockKernels() {
    }

    /**
     * What the driver broadcasts for the first pass of an iteration.
     *
     * @param y the current Y (r x n)
     * @param gramY {@code Y Y^T}
     * @param nuX the step of the X update
     * @param lambda1 the weight of {@code f1 = lambda1 ||X||_1}
     * @param exact whether H is summed from the residual (else from products)
     * @param nuclear whether the R factor of X is needed (gamma1 > 0)
     */
    record StepParams(DMatrixRMaj y, DMatrixRMaj gramY, double nuX, double lambda1, boolean exact,
            boolean nuclear) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * First pass, on block i at the current point (X_i, Y): the value parts at (X, Y) and the next X
     * step,
     * <pre>
     *   P_i = M_i Y^T,  h_i = ||X_i Y - M_i||^2 (exact) or &lt;X_i, P_i&gt;,  l1_i = sum |X_i|,
     *   G_i = X_i^T X_i,  R factor of X_i,
     *   Z_i = X_i - nu_X (X_i (Y Y^T) - P_i),  Xu_i = soft(Z_i, nu_X lambda1),  R factor of Z_i.
     * </pre>
     */
    static StepBlock evaluateAndStepX(RowBlock mb, DMatrixRMaj x, StepParams p) {
        DMatrixRMaj m = mb.rows();
        int k = m.numRows;
        int r = x.numCols;
        if (x.numRows != k) {
            throw new IllegalArgumentException("block at row " + mb.offset() + ": M has " + k + " rows, X has "
                    + x.numRows);
        }
        DMatrixRMaj grad = new DMatrixRMaj(k, r);
        Gemm.multTransB(m, p.y(), grad); // P_i = M_i Y^T, one pass over M_i
        double h = p.exact() ? FactorizationCoupling.residualSumOfSquares(m, x, p.y()) : MatOps.dot(x, grad);
        double l1 = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            l1 += Math.abs(x.data[i]);
        }
        DMatrixRMaj gramX = new DMatrixRMaj(r, r);
        Gemm.multTransA(x, x, gramX);
        DMatrixRMaj rx = p.nuclear() ? Tsqr.r(x) : null;
        // grad_X H = X (Y Y^T) - M Y^T
        Gemm.gemm(false, false, 1.0, x, p.gramY(), -1.0, grad);
        DMatrixRMaj z = new DMatrixRMaj(k, r);
        MatOps.combine(1.0, x, -p.nuX(), grad, z);
        DMatrixRMaj xu = new DMatrixRMaj(k, r);
        new NormL1(p.lambda1()).prox(z, p.nuX(), xu);
        DMatrixRMaj rz = Tsqr.r(z);
        boolean finite = MatOps.isFinite(x) && Double.isFinite(h) && MatOps.isFinite(z);
        return new StepBlock(mb.offset(), x, z, xu, h, l1, gramX, rx, rz, finite);
    }

    /** {@code Xl_i = Z_i W}: the block's rows of {@code prox_{nu f2}(Z)} ({@link NuclearProxMap}). */
    static CandidateBlock applyProxMap(StepBlock s, DMatrixRMaj w) {
        DMatrixRMaj xl = new DMatrixRMaj(s.z.numRows, s.z.numCols);
        Gemm.mult(s.z, w, xl);
        return new CandidateBlock(s.offset, s.xu, xl, BinnoRules.differenceSums(s.x.data, s.xu.data, xl.data));
    }

    /**
     * Second pass, on block i: the Gram matrices and products with M of the candidates,
     * {@code [Xu_i Xl_i]^T [Xu_i Xl_i]} and {@code [Xu_i Xl_i]^T M_i} (one pass over M_i); for the
     * linesearch also the R factor of {@code [Xu_i Xl_i]} and {@code sum |a0 Xu_i + (1 - a0) Xl_i|}.
     */
    static CandidateStats candidateStats(CandidateBlock c, RowBlock mb, boolean mixtures, double a0) {
        DMatrixRMaj m = mb.rows();
        int k = m.numRows;
        int r = c.xu.numCols;
        int n = m.numCols;
        if (c.offset != mb.offset() || c.xu.numRows != k) {
            throw new IllegalStateException("row blocks out of step: X block at " + c.offset + " (" + c.xu.numRows
                    + " rows), M block at " + mb.offset() + " (" + k + " rows)");
        }
        DMatrixRMaj stacked = new DMatrixRMaj(k, 2 * r);
        for (int i = 0; i < k; i++) {
            System.arraycopy(c.xu.data, i * r, stacked.data, i * 2 * r, r);
            System.arraycopy(c.xl.data, i * r, stacked.data, i * 2 * r + r, r);
        }
        DMatrixRMaj q = new DMatrixRMaj(2 * r, n);
        Gemm.multTransA(stacked, m, q); // one pass over M_i
        DMatrixRMaj gram = new DMatrixRMaj(2 * r, 2 * r);
        Gemm.multTransA(stacked, stacked, gram);
        DMatrixRMaj r2 = null;
        double l1 = 0;
        if (mixtures) {
            r2 = Tsqr.r(stacked);
            l1 = mixtureL1(c, a0);
        }
        boolean finite = MatOps.isFinite(c.xu) && MatOps.isFinite(c.xl);
        return new CandidateStats(gram, q, r2, l1, c.differences.clone(), finite);
    }

    /** @return {@code sum |a Xu_i + (1 - a) Xl_i|} (the mixture formed as {@link MatOps#combine} forms it) */
    static double mixtureL1(CandidateBlock c, double a) {
        double b = 1 - a;
        double[] u = c.xu.data;
        double[] l = c.xl.data;
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += Math.abs(a * u[i] + b * l[i]);
        }
        return s;
    }

    /** The rows of the new X: {@code a Xu_i + (1 - a) Xl_i}. */
    static DMatrixRMaj combine(CandidateBlock c, double a) {
        DMatrixRMaj x = new DMatrixRMaj(c.xu.numRows, c.xu.numCols);
        MatOps.combine(a, c.xu, 1 - a, c.xl, x);
        return x;
    }
}
