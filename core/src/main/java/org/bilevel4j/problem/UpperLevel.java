package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * The upper level {@code min_{x1} max_{x2 in X2} F(x1, x2, y)} of a bilevel problem whose lower level
 * is a {@link ConstrainedLowerLevel} in y; F is smooth and concave in x2. X1 is the constrained lower
 * level's x domain. Vectors are n x 1; not modified: the points.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread.
 */
public interface UpperLevel {

    /** @return X2, the domain of the upper-level maximization variable (possibly 0-dimensional) */
    Box x2Domain();

    /** @return {@code F(x1, x2, y)} */
    double value(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y);

    /**
     * Writes the partial gradients. Modified: gx1, gx2, gy.
     *
     * @return {@code F(x1, x2, y)}
     */
    double valueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y, DMatrixRMaj gx1, DMatrixRMaj gx2,
            DMatrixRMaj gy);
}
