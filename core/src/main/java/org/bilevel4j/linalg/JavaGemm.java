package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;

/** Pure-Java products, used when no native BLAS is present. Package-private: use {@link Gemm}. */
final class JavaGemm {

    private JavaGemm() {
    }

    static void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b,
            double beta, DMatrixRMaj c, boolean parallel) {
        if (beta == 0.0) {
            if (parallel) {
                multParallel(transA, transB, alpha, a, b, c);
            } else {
                mult(transA, transB, alpha, a, b, c);
            }
            return;
        }
        DMatrixRMaj tmp = new DMatrixRMaj(c.numRows, c.numCols);
        if (parallel) {
            multParallel(transA, transB, alpha, a, b, tmp);
        } else {
            mult(transA, transB, alpha, a, b, tmp);
        }
        CommonOps_DDRM.add(beta, c, 1.0, tmp, c);
    }

    private static void mult(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (!ta && !tb) {
            CommonOps_DDRM.mult(alpha, a, b, c);
        } else if (ta && !tb) {
            CommonOps_DDRM.multTransA(alpha, a, b, c);
        } else if (!ta) {
            CommonOps_DDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.multTransAB(alpha, a, b, c);
        }
    }

    private static void multParallel(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b,
            DMatrixRMaj c) {
        if (!ta && !tb) {
            CommonOps_MT_DDRM.mult(alpha, a, b, c);
        } else if (ta && !tb) {
            CommonOps_MT_DDRM.multTransA(alpha, a, b, c);
        } else if (!ta) {
            CommonOps_MT_DDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_MT_DDRM.multTransAB(alpha, a, b, c);
        }
    }
}
