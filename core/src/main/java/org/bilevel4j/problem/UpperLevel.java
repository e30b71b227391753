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

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @param x2 the upper-level maximization block x2, not modified
     * @param y the point y, not modified
     * @return {@code F(x1, x2, y)}
     */
    double value(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y);

    /**
     * Writes the partial gradients. Modified: gx1, gx2, gy.
     *
     * @return {@code F(x1, x2, y)}
     * @param x1 the upper-level minimization block x1, not modified
     * @param x2 the upper-level maximization block x2, not modified
     * @param y the point y, not modified
     * @param gx1 modified: receives the partial gradient in x1
     * @param gx2 modified: receives the partial gradient in x2
     * @param gy modified: receives the partial gradient in y
     */
    double valueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y, DMatrixRMaj gx1, DMatrixRMaj gx2,
            DMatrixRMaj gy);
}
