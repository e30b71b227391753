package org.bilevel4j.solver.binno;

import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.FactorizationCoupling;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * BINNO's coupling evaluator for {@code H = 1/2 ||XY - M||^2}. It keeps {@code P = M Y^T} of the
 * current Y and the r x r Gram matrices, so that one iteration makes exactly two passes over M:
 * {@code [Xu Xl]^T M} (2r x n, for both Y gradients) and {@code M Y+^T} (for the value at the new
 * point, which is also the next iteration's X gradient). The linesearch rule replaces the second
 * pass by {@code M [Yu; Yl]^T}, from which {@code M Y(b)^T} follows for every weight b.
 *
 * <p>Small matrices (at most {@link FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS} entries, where H
 * is summed from the residual to avoid the cancellation of the Gram identity) keep a transposed copy
 * of M (at most 8 MB) and get {@code M Y^T} and the residual's sum of squares in one sweep over it
 * ({@link #fusedProductAndResidual}): both become long vectorized updates of length m instead of
 * dot products and updates of length n, which for n = 51 or 80 are mostly loop overhead.
 *
 * <p>Memory: every buffer is allocated once, in the constructor; no m x n temporary is ever
 * allocated (the transposed copy of a small M is made once), and an iteration allocates nothing of size m x r or larger here (the products
 * allocate small per-call buffers, the prox of the nuclear norm its SVD). The m x r Gram matrices
 * {@code X^T X} go through {@link Gemm} (parallel, one pass over X). The Gram matrix that
 * {@link #lipschitzY} forms for a candidate is kept and reused by the {@link #gradientYPair} that
 * follows for the same matrix object (Binno does not modify the candidates in between); every
 * other call forgets it.
 */
final class FactorizationEvaluator extends CouplingEvaluator {

    private final FactorizationCoupling h;
    private final DMatrixRMaj m;
    private final int r;
    private final DMatrixRMaj p;      // M Y^T, m x r
    private final DMatrixRMaj gramY;  // Y Y^T
    private final DMatrixRMaj gramX;  // X^T X
    private final DMatrixRMaj gramU;
    private final DMatrixRMaj gramL;
    private final DMatrixRMaj stackedX; // [Xu Xl], m x 2r
    private final DMatrixRMaj q;        // [Xu Xl]^T M, 2r x n
    private final DMatrixRMaj stackedY; // [Yu; Yl], 2r x n
    private final DMatrixRMaj rMix;     // M [Yu; Yl]^T, m x 2r
    private final DMatrixRMaj pMix;     // M Y(b)^T, m x r
    private final DMatrixRMaj gramYMix;
    private final DMatrixRMaj gramXMix;
    private final DMatrixRMaj[] gramCache;          // Gram matrices formed by lipschitzY
    private final DMatrixRMaj[] gramCacheOf = new DMatrixRMaj[2]; // ...and the candidates they belong to
    private DMatrixRMaj x;
    private DMatrixRMaj y;
    // exact values only (m n at most 2^20): M^T by rows, X^T and P^T by rows, one column's residual
    private final double[][] mt;
    private final double[][] xt;
    private final double[][] pt;
    private final double[] res;

    FactorizationEvaluator(FactorizationCoupling h) {
        this.h = h;
        this.m = h.data();
        this.r = h.rank();
        int rows = m.numRows;
        int cols = m.numCols;
        p = new DMatrixRMaj(rows, r);
        gramY = new DMatrixRMaj(r, r);
        gramX = new DMatrixRMaj(r, r);
        gramU = new DMatrixRMaj(r, r);
        gramL = new DMatrixRMaj(r, r);
        stackedX = new DMatrixRMaj(rows, 2 * r);
        q = new DMatrixRMaj(2 * r, cols);
        stackedY = new DMatrixRMaj(2 * r, cols);
        rMix = new DMatrixRMaj(rows, 2 * r);
        pMix = new DMatrixRMaj(rows, r);
        gramYMix = new DMatrixRMaj(r, r);
        gramXMix = new DMatrixRMaj(r, r);
        gramCache = new DMatrixRMaj[] {new DMatrixRMaj(r, r), new DMatrixRMaj(r, r)};
        if (h.exactValues()) {
            mt = new double[cols][rows];
            double[] md = m.data;
            for (int i = 0; i < rows; i++) {
                int o = i * cols;
                for (int j = 0; j < cols; j++) {
                    mt[j][i] = md[o + j];
                }
            }
            xt = new double[r][rows];
            pt = new double[r][rows];
            res = new double[rows];
        } else {
            mt = null;
            xt = null;
            pt = null;
            res = null;
        }
    }

    /**
     * For exact values: {@code P = M Y^T} and {@code ||M - X Y||_F^2} in one sweep over the columns of
     * M (rows of the copy {@code M^T}), as long updates of length m that the JIT vectorizes:
     * {@code P^T[k, :] += Y[k, j] M[:, j]} and, per column, {@code res = M[:, j] - sum_k Y[k, j] X[:, k]},
     * whose squares are summed. Returns the sum of squares and writes P.
     */
    private double fusedProductAndResidual(DMatrixRMaj xx, DMatrixRMaj yy, DMatrixRMaj pp) {
        int rows = m.numRows;
        int cols = m.numCols;
        double[] xd = xx.data;
        double[] yd = yy.data;
        for (int i = 0; i < rows; i++) {
            int o = i * r;
            for (int k = 0; k < r; k++) {
                xt[k][i] = xd[o + k];
            }
        }
        for (int k = 0; k < r; k++) {
            java.util.Arrays.fill(pt[k], 0.0);
        }
        double total = 0;
        int j = 0;
        for (; j + 3 < cols; j += 4) {
            double[] c0 = mt[j];
            double[] c1 = mt[j + 1];
            double[] c2 = mt[j + 2];
            double[] c3 = mt[j + 3];
            int k = 0;
            for (; k + 1 < r; k += 2) {
                int o = k * cols + j;
                int q = o + cols;
                update4x2(yd[o], yd[o + 1], yd[o + 2], yd[o + 3], yd[q], yd[q + 1], yd[q + 2], yd[q + 3], c0, c1, c2,
                        c3, pt[k], pt[k + 1], rows);
            }
            if (k < r) {
                int o = k * cols + j;
                update4(yd[o], c0, yd[o + 1], c1, yd[o + 2], c2, yd[o + 3], c3, pt[k], rows);
            }
            total += residualSquares(j, yd, cols, rows);
            total += residualSquares(j + 1, yd, cols, rows);
            total += residualSquares(j + 2, yd, cols, rows);
            total += residualSquares(j + 3, yd, cols, rows);
        }
        for (; j < cols; j++) {
            double[] c0 = mt[j];
            for (int k = 0; k < r; k++) {
                double a = yd[k * cols + j];
                double[] pk = pt[k];
                for (int i = 0; i < rows; i++) {
                    pk[i] += a * c0[i];
                }
            }
            total += residualSquares(j, yd, cols, rows);
        }
        double[] pd = pp.data;
        for (int k = 0; k < r; k++) {
            double[] pk = pt[k];
            for (int i = 0; i < rows; i++) {
                pd[i * r + k] = pk[i];
            }
        }
        return total;
    }

    /** {@code ||M[:, j] - X Y[:, j]||^2}, with X^T in xt. */
    private double residualSquares(int j, double[] yd, int cols, int rows) {
        double[] b = res;
        System.arraycopy(mt[j], 0, b, 0, rows);
        int k = 0;
        for (; k + 3 < r; k += 4) {
            update4(-yd[k * cols + j], xt[k], -yd[(k + 1) * cols + j], xt[k + 1], -yd[(k + 2) * cols + j], xt[k + 2],
                    -yd[(k + 3) * cols + j], xt[k + 3], b, rows);
        }
        for (; k < r; k++) {
            double a = -yd[k * cols + j];
            double[] xk = xt[k];
            for (int i = 0; i < rows; i++) {
                b[i] += a * xk[i];
            }
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            s0 += b[i] * b[i];
            s1 += b[i + 1] * b[i + 1];
            s2 += b[i + 2] * b[i + 2];
            s3 += b[i + 3] * b[i + 3];
        }
        for (; i < rows; i++) {
            s0 += b[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@link #update4} of two outputs from the same four inputs (each input loaded once for both). */
    private static void update4x2(double a0, double a1, double a2, double a3, double b0, double b1, double b2,
            double b3, double[] x0, double[] x1, double[] x2, double[] x3, double[] y, double[] z, int len) {
        for (int i = 0; i < len; i++) {
            double u0 = x0[i];
            double u1 = x1[i];
            double u2 = x2[i];
            double u3 = x3[i];
            y[i] += a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
            z[i] += b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3;
        }
    }

    /** {@code y[i] += a0 x0[i] + a1 x1[i] + a2 x2[i] + a3 x3[i]} for i below len. */
    private static void update4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double[] y, int len) {
        for (int i = 0; i < len; i++) {
            y[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
        }
    }

    private void forgetGrams() {
        gramCacheOf[0] = null;
        gramCacheOf[1] = null;
    }

    /** {@code out = xc^T xc}, from the cache when lipschitzY just formed it for xc. */
    private void gramOf(DMatrixRMaj xc, DMatrixRMaj out) {
        for (int s = 0; s < 2; s++) {
            if (gramCacheOf[s] == xc) {
                System.arraycopy(gramCache[s].data, 0, out.data, 0, r * r);
                return;
            }
        }
        Gemm.multTransA(xc, xc, out);
    }

    @Override
    double setCurrent(DMatrixRMaj x, DMatrixRMaj y) {
        this.x = x;
        this.y = y;
        forgetGrams();
        Gemm.multTransB(y, y, gramY);
        if (mt != null) {
            return 0.5 * fusedProductAndResidual(x, y, p);
        }
        Gemm.multTransB(m, y, p);
        Gemm.multTransA(x, x, gramX);
        return value(x, y, p, gramY, gramX);
    }

    private double value(DMatrixRMaj xx, DMatrixRMaj yy, DMatrixRMaj pp, DMatrixRMaj gy, DMatrixRMaj gx) {
        if (h.exactValues()) {
            return h.residualValue(xx, yy);
        }
        return h.valueFromProducts(xx, yy, pp, gy, gx);
    }

    @Override
    double lipschitzX() {
        return MatOps.spectralNormPsd(gramY);
    }

    @Override
    void gradientX(DMatrixRMaj out) {
        // X (Y Y^T) - M Y^T
        System.arraycopy(p.data, 0, out.data, 0, p.getNumElements());
        Gemm.gemm(false, false, 1.0, x, gramY, -1.0, out);
    }

    @Override
    double lipschitzY(DMatrixRMaj xc) {
        int slot = gramCacheOf[0] == null || gramCacheOf[0] == xc ? 0 : 1;
        if (gramCacheOf[slot] != null && gramCacheOf[slot] != xc) {
            forgetGrams(); // a third candidate: start over
            slot = 0;
        }
        DMatrixRMaj g = gramCache[slot];
        Gemm.multTransA(xc, xc, g);
        gramCacheOf[slot] = xc;
        return MatOps.spectralNormPsd(g);
    }

    @Override
    void gradientYPair(DMatrixRMaj xu, DMatrixRMaj xl, DMatrixRMaj outU, DMatrixRMaj outL) {
        int rows = m.numRows;
        int cols = m.numCols;
        for (int i = 0; i < rows; i++) {
            System.arraycopy(xu.data, i * r, stackedX.data, i * 2 * r, r);
            System.arraycopy(xl.data, i * r, stackedX.data, i * 2 * r + r, r);
        }
        Gemm.multTransA(stackedX, m, q); // one pass over M
        gramOf(xu, gramU);
        gramOf(xl, gramL);
        forgetGrams();
        CommonOps_DDRM.mult(gramU, y, outU);
        CommonOps_DDRM.mult(gramL, y, outL);
        double[] qd = q.data;
        int half = r * cols;
        for (int i = 0; i < half; i++) {
            outU.data[i] -= qd[i];
            outL.data[i] -= qd[half + i];
        }
    }

    @Override
    void prepareMixtures(DMatrixRMaj yu, DMatrixRMaj yl) {
        int half = r * m.numCols;
        System.arraycopy(yu.data, 0, stackedY.data, 0, half);
        System.arraycopy(yl.data, 0, stackedY.data, half, half);
        Gemm.multTransB(m, stackedY, rMix); // one pass over M
    }

    private void mixP(double b, DMatrixRMaj out) {
        int rows = m.numRows;
        double[] rm = rMix.data;
        double[] o = out.data;
        double c = 1 - b;
        for (int i = 0; i < rows; i++) {
            int ro = i * 2 * r;
            int oo = i * r;
            for (int k = 0; k < r; k++) {
                o[oo + k] = b * rm[ro + k] + c * rm[ro + r + k];
            }
        }
    }

    @Override
    double mixedValue(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
        if (h.exactValues()) {
            return h.residualValue(xa, yb);
        }
        mixP(b, pMix);
        Gemm.multTransB(yb, yb, gramYMix);
        Gemm.multTransA(xa, xa, gramXMix);
        return h.valueFromProducts(xa, yb, pMix, gramYMix, gramXMix);
    }

    @Override
    double setCurrentMixed(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
        this.x = xa;
        this.y = yb;
        forgetGrams();
        mixP(b, p);
        Gemm.multTransB(yb, yb, gramY);
        Gemm.multTransA(xa, xa, gramX);
        return value(xa, yb, p, gramY, gramX);
    }
}
