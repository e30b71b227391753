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

    CandidateBlock(int offset, DMatrixRMaj xu, DMatrixRMaj xl) {
        this.offset = offset;
        this.xu = xu;
        this.xl = xl;
    }
}
