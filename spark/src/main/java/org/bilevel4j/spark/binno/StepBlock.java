package org.bilevel4j.spark.binno;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;

/**
 * What a row block keeps after the first pass of an iteration ({@link BlockKernels#evaluateAndStepX}):
 * its rows of the current X, of the next X step {@code Z} and of {@code Xu = prox_{nu f1}(Z)}, plus
 * its contributions to the reductions. Not modified once built.
 */
final class StepBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    final int offset;
    final DMatrixRMaj x;
    final DMatrixRMaj z;
    final DMatrixRMaj xu;
    /** ||X_i Y - M_i||^2 (exact values) or {@code <X_i, M_i Y^T>} (values from products). */
    final double h;
    /** sum |X_i|. */
    final double l1;
    /** X_i^T X_i. */
    final DMatrixRMaj gramX;
    /** R factor of X_i. */
    final DMatrixRMaj rx;
    /** R factor of Z_i. */
    final DMatrixRMaj rz;
    final boolean finite;

    StepBlock(int offset, DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj xu, double h, double l1, DMatrixRMaj gramX,
            DMatrixRMaj rx, DMatrixRMaj rz, boolean finite) {
        this.offset = offset;
        this.x = x;
        this.z = z;
        this.xu = xu;
        this.h = h;
        this.l1 = l1;
        this.gramX = gramX;
        this.rx = rx;
        this.rz = rz;
        this.finite = finite;
    }
}
