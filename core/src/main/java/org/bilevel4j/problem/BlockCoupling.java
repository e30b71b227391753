package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * The smooth coupling term {@code H(X, Y)} shared by both levels of a
 * {@link BlockCompositeBilevelProblem}, with its block gradients and block Lipschitz constants:
 * {@code grad_X H(., Y)} is {@code lipschitzX(Y)}-Lipschitz and {@code grad_Y H(X, .)} is
 * {@code lipschitzY(X)}-Lipschitz, both in the Frobenius norm.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread (FactorizationCoupling and BalanceCoupling are immutable and safe to share).
 */
public interface BlockCoupling {

    /** @return rows of X */
    int xRows();

    /** @return columns of X */
    int xCols();

    /** @return rows of Y */
    int yRows();

    /** @return columns of Y */
    int yCols();

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code H(X, Y)}; X and Y not modified
     */
    double value(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * Writes {@code grad_X H(X, Y)} into out (modified, X's shape).
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void gradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    /**
     * Writes {@code grad_Y H(X, Y)} into out (modified, Y's shape).
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void gradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    /**
     * @param y the point y, not modified
     * @return a Lipschitz constant of {@code X -> grad_X H(X, Y)}
     */
    double lipschitzX(DMatrixRMaj y);

    /**
     * @param x the point x, not modified
     * @return a Lipschitz constant of {@code Y -> grad_Y H(X, Y)}
     */
    double lipschitzY(DMatrixRMaj x);

    /**
     * @throws IllegalArgumentException naming the block and both shapes, unless X and Y have this
     *     coupling's shapes
     * @param x the point x, not modified
     * @param y the point y, not modified
     */
    default void checkShapes(DMatrixRMaj x, DMatrixRMaj y) {
        if (x.numRows != xRows() || x.numCols != xCols()) {
            throw new IllegalArgumentException("X is " + x.numRows + "x" + x.numCols + ", expected " + xRows() + "x"
                    + xCols());
        }
        if (y.numRows != yRows() || y.numCols != yCols()) {
            throw new IllegalArgumentException("Y is " + y.numRows + "x" + y.numCols + ", expected " + yRows() + "x"
                    + yCols());
        }
    }
}
