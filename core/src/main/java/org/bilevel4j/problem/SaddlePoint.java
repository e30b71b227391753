package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * A point (u, v) of a {@link SaddleProblem}. The record holds its own n x 1 copies; callers must not
 * modify what the accessors return.
 *
 * @param u the minimization variable
 * @param v the maximization variable
 */
public record SaddlePoint(DMatrixRMaj u, DMatrixRMaj v) {

    /**
     * Copies both blocks into n x 1 vectors.
     *
     * @param u the minimization variable
     * @param v the maximization variable
     */
    public SaddlePoint {
        u = column(u);
        v = column(v);
    }

    /**
     * @param u the entries of u
     * @param v the entries of v
     * @return a point from plain arrays (copied)
     */
    public static SaddlePoint of(double[] u, double[] v) {
        return new SaddlePoint(DMatrixRMaj.wrap(u.length, 1, u), DMatrixRMaj.wrap(v.length, 1, v));
    }

    private static DMatrixRMaj column(DMatrixRMaj a) {
        DMatrixRMaj c = new DMatrixRMaj(a.getNumElements(), 1);
        System.arraycopy(a.data, 0, c.data, 0, a.getNumElements());
        return c;
    }
}
