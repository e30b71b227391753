package org.bilevel4j.problem;

import org.bilevel4j.linalg.Gemm;
import org.ejml.data.DMatrixRMaj;

/**
 * A point (X, Y) of a two-block problem. The record holds its own copies: modifying the matrices
 * passed in afterwards does not change it, and callers must not modify what the accessors return.
 *
 * @param x the first block
 * @param y the second block
 */
public record BlockIterate(DMatrixRMaj x, DMatrixRMaj y) {

    /**
     * Copies both blocks.
     *
     * @param x the first block
     * @param y the second block
     */
    public BlockIterate {
        x = x.copy();
        y = y.copy();
    }

    /** @return the product {@code X Y} (for a factorization: the low-rank estimate L) */
    public DMatrixRMaj product() {
        DMatrixRMaj p = new DMatrixRMaj(x.numRows, y.numCols);
        Gemm.mult(x, y, p);
        return p;
    }
}
