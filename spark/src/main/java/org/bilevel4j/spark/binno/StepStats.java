package org.bilevel4j.spark.binno;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reduction of the first pass: sums of the blocks' {@code h_i}, {@code l1_i} and
 * {@code X_i^T X_i}, the TSQR merges of the R factors of X and Z, and whether every block was
 * finite. {@link #merge} builds a new object and never modifies its arguments (which may be cached
 * blocks' matrices).
 */
final class StepStats implements Serializable {

    private static final long serialVersionUID = 1L;

    final double h;
    final double l1;
    final DMatrixRMaj gramX;
    final DMatrixRMaj rx;
    final DMatrixRMaj rz;
    final boolean finite;

    StepStats(double h, double l1, DMatrixRMaj gramX, DMatrixRMaj rx, DMatrixRMaj rz, boolean finite) {
        this.h = h;
        this.l1 = l1;
        this.gramX = gramX;
        this.rx = rx;
        this.rz = rz;
        this.finite = finite;
    }

    static StepStats of(StepBlock b) {
        return new StepStats(b.h, b.l1, b.gramX, b.rx, b.rz, b.finite);
    }

    static StepStats merge(StepStats a, StepStats b) {
        DMatrixRMaj g = new DMatrixRMaj(a.gramX.numRows, a.gramX.numCols);
        CommonOps_DDRM.add(a.gramX, b.gramX, g);
        return new StepStats(a.h + b.h, a.l1 + b.l1, g, Tsqr.merge(a.rx, b.rx), Tsqr.merge(a.rz, b.rz),
                a.finite && b.finite);
    }
}
