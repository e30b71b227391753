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
 * No m x n temporary is ever allocated.
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
    private DMatrixRMaj x;
    private DMatrixRMaj y;

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
    }

    @Override
    double setCurrent(DMatrixRMaj x, DMatrixRMaj y) {
        this.x = x;
        this.y = y;
        Gemm.multTransB(m, y, p);
        CommonOps_DDRM.multTransB(y, y, gramY);
        CommonOps_DDRM.multTransA(x, x, gramX);
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
        CommonOps_DDRM.mult(x, gramY, out);
        CommonOps_DDRM.subtractEquals(out, p);
    }

    @Override
    double lipschitzY(DMatrixRMaj xc) {
        DMatrixRMaj g = new DMatrixRMaj(r, r);
        CommonOps_DDRM.multTransA(xc, xc, g);
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
        CommonOps_DDRM.multTransA(xu, xu, gramU);
        CommonOps_DDRM.multTransA(xl, xl, gramL);
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
        CommonOps_DDRM.multTransB(yb, yb, gramYMix);
        CommonOps_DDRM.multTransA(xa, xa, gramXMix);
        return h.valueFromProducts(xa, yb, pMix, gramYMix, gramXMix);
    }

    @Override
    double setCurrentMixed(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
        this.x = xa;
        this.y = yb;
        mixP(b, p);
        CommonOps_DDRM.multTransB(yb, yb, gramY);
        CommonOps_DDRM.multTransA(xa, xa, gramX);
        return value(xa, yb, p, gramY, gramX);
    }
}
