package org.bilevel4j.solver.simple;

import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The stationarity measures of a simple bilevel problem {@code min f over argmin g} at a point, from
 * the two gradients (Cao, Jiang, Hamedani, Mokhtari, arXiv 2507.23155, Section 3 and the figures):
 * <pre>
 *   grad f_perp = pi(grad f; grad g),   pi(a; b) = a - (&lt;a, b&gt; / ||b||^2) b
 *   cos(theta)  = &lt;grad f, grad g&gt; / (||grad f|| ||grad g||)
 *   lambda_DBGD = max((phi - &lt;grad f, grad g&gt;) / ||grad g||^2, 0)
 *   r(x)        = min_{lambda &gt;= 0} ||grad f + lambda grad g||      (Definition 3.1's best certificate)
 * </pre>
 * When {@code ||grad g||^2} underflows (below {@link #UNDERFLOW}) the direction of {@code grad g} is
 * meaningless: {@code pi(a; b) = a} and the multiplier is 0.
 */
public final class SimpleBilevelMeasures {

    /** Squared norms below this count as zero (the method page's 1e-300). */
    public static final double UNDERFLOW = 1e-300;

    private SimpleBilevelMeasures() {
    }

    /**
     * {@code out = pi(a; b) = a - (<a, b> / ||b||^2) b}, the part of {@code a} orthogonal to {@code b}
     * ({@code out = a} when {@code ||b||^2 < UNDERFLOW}).
     *
     * @param a not modified unless {@code out == a}
     * @param b not modified; must not alias {@code out}
     * @param out modified; same shape as {@code a}; may alias {@code a}
     * @return {@code ||out||}
     */
    public static double orthogonalPart(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj out) {
        return orthogonalPart(a, b, MatOps.dot(a, b), MatOps.normSq(b), out);
    }

    /**
     * As {@link #orthogonalPart(DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)} with the inner product and
     * {@code ||b||^2} already known.
     *
     * @param a the vector a, not modified
     * @param b the vector b, not modified
     * @param inner {@code <a, b>}
     * @param bNormSq {@code ||b||^2}
     * @param out modified: receives the result
     * @return {@code ||pi(a; b)||}
     */
    public static double orthogonalPart(DMatrixRMaj a, DMatrixRMaj b, double inner, double bNormSq,
            DMatrixRMaj out) {
        double coef = bNormSq < UNDERFLOW ? 0.0 : inner / bNormSq;
        MatOps.combine(1.0, a, -coef, b, out);
        return Math.sqrt(MatOps.normSq(out));
    }

    /**
     * @return {@code inner / (normA normB)} clipped to [-1, 1], or NaN when either norm is 0 (the angle
     *     is undefined)
     * @param inner the inner product {@code <a, b>}
     * @param normA {@code ||a||}
     * @param normB {@code ||b||}
     */
    public static double cosTheta(double inner, double normA, double normB) {
        double den = normA * normB;
        if (!(den > 0)) {
            return Double.NaN;
        }
        return Math.max(-1.0, Math.min(1.0, inner / den));
    }

    /**
     * DBGD's multiplier, the dual solution of
     * {@code min_v 1/2 ||v - grad f||^2 s.t. <grad g, v> >= phi}.
     *
     * @param phi the barrier value
     * @param inner {@code <grad f, grad g>}
     * @param gradGNormSq {@code ||grad g||^2}
     * @return {@code max((phi - inner) / gradGNormSq, 0)}, and 0 when {@code gradGNormSq < UNDERFLOW}
     */
    public static double dbgdMultiplier(double phi, double inner, double gradGNormSq) {
        if (gradGNormSq < UNDERFLOW) {
            return 0.0;
        }
        return Math.max((phi - inner) / gradGNormSq, 0.0);
    }

    /**
     * The smallest {@code ||grad f + lambda grad g||} over {@code lambda >= 0}: {@code ||grad f_perp||}
     * when {@code <grad f, grad g> < 0}, else {@code ||grad f||}. A point passes Definition 3.1's
     * upper-level test with {@code eps_f} exactly when this is at most {@code eps_f}.
     *
     * The orthogonal part is formed as a vector (one temporary of the gradient's shape), not as
     * {@code sqrt(||grad f||^2 - <grad f, grad g>^2 / ||grad g||^2)}, which loses half the digits
     * when the gradients are nearly parallel.
     *
     * @param gradF not modified
     * @param gradG not modified
     * @return the residual
     */
    public static double stationarityResidual(DMatrixRMaj gradF, DMatrixRMaj gradG) {
        double inner = MatOps.dot(gradF, gradG);
        double gg = MatOps.normSq(gradG);
        if (inner >= 0 || gg < UNDERFLOW) {
            return Math.sqrt(MatOps.normSq(gradF));
        }
        return orthogonalPart(gradF, gradG, inner, gg, new DMatrixRMaj(gradF.numRows, gradF.numCols));
    }
}
