package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * A point (x, y) of a general bilevel problem: the upper-level variable x and the lower-level
 * variable y. The record holds its own copies: modifying the matrices passed in afterwards does not
 * change it, and callers must not modify what the accessors return.
 *
 * @param x the upper-level variable (an n x 1 vector, or a matrix)
 * @param y the lower-level variable (an m x 1 vector, or a matrix such as classifier weights)
 */
public record PairIterate(DMatrixRMaj x, DMatrixRMaj y) {

    /**
     * Copies both blocks.
     *
     * @param x the upper-level variable (an n x 1 vector, or a matrix)
     * @param y the lower-level variable (an m x 1 vector, or a matrix such as classifier weights)
     */
    public PairIterate {
        x = x.copy();
        y = y.copy();
    }

    /**
     * @param problem the problem
     * @param xv the value of every entry of x
     * @param yv the value of every entry of y
     * @return a start point of the problem's shapes with every entry of x equal to {@code xv} and of y to
     *     {@code yv}
     */
    public static PairIterate constant(BilevelProblem problem, double xv, double yv) {
        DMatrixRMaj x = new DMatrixRMaj(problem.xRows(), problem.xCols());
        DMatrixRMaj y = new DMatrixRMaj(problem.yRows(), problem.yCols());
        x.fill(xv);
        y.fill(yv);
        return new PairIterate(x, y);
    }
}
