package org.bilevel4j.spark.binno;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;

/**
 * A row block's two X candidates of an iteration: {@code Xu = prox_{nu f1}(Z)} and
 * {@code Xl = prox_{nu f2}(Z) = Z W} ({@link NuclearProxMap}). Not modified once built.
 */
final class CandidateBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    final int offset;
    final DMatrixRMaj xu;
    final DMatrixRMaj xl;
    /** the block's {@code {||Xu - X||^2, <Xu - X, Xl - X>, ||Xl - X||^2}} for the linesearch's step lengths */
    final double[] differences;

    CandidateBlock(int offset, DMatrixRMaj xu, DMatrixRMaj xl, double[] differences) {
        this.offset = offset;
        this.xu = xu;
        this.xl = xl;
        this.differences = differences;
    }
}
