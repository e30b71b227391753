package org.bilevel4j.solver.meha;

import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * Conjugate gradient for {@code H q = b} with a symmetric positive definite H given only through
 * products {@code v -> H v} (Hestenes and Stiefel 1952). Stops when
 * {@code ||b - H q|| <= tolerance ||b||} or after {@code maxIterations} products.
 */
public final class ConjugateGradient {

    /** The operator {@code out = H v}; out never aliases v. */
    @FunctionalInterface
    public interface Operator {
        /**
         * Applies the operator.
         *
         * @param v the vector, not modified
         * @param out modified: receives {@code H v}
         */
        void apply(DMatrixRMaj v, DMatrixRMaj out);
    }

    /**
     * What a solve did.
     *
     * @param iterations operator products used
     * @param relativeResidual the final {@code ||b - H q|| / ||b||} (0 when b = 0)
     * @param converged whether the tolerance was met
     */
    public record Outcome(int iterations, double relativeResidual, boolean converged) {
    }

    private ConjugateGradient() {
    }

    /**
     * Solves {@code H q = b}, starting from the given q (warm start).
     *
     * @param op the operator H
     * @param b the right-hand side, not modified
     * @param q modified: start on entry, solution on exit
     * @param maxIterations the product budget, at least 1
     * @param tolerance the relative residual to reach, nonnegative
     * @return what the solve did; a nonpositive curvature {@code <p, H p> <= 0} stops it early
     *     (not converged)
     */
    public static Outcome solve(Operator op, DMatrixRMaj b, DMatrixRMaj q, int maxIterations, double tolerance) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        double nb = Math.sqrt(MatOps.normSq(b));
        if (nb == 0) {
            q.zero();
            return new Outcome(0, 0.0, true);
        }
        DMatrixRMaj r = new DMatrixRMaj(b.numRows, b.numCols);
        DMatrixRMaj p = new DMatrixRMaj(b.numRows, b.numCols);
        DMatrixRMaj hp = new DMatrixRMaj(b.numRows, b.numCols);
        op.apply(q, hp);
        MatOps.combine(1.0, b, -1.0, hp, r);
        p.setTo(r);
        double rr = MatOps.normSq(r);
        int it = 1;
        while (Math.sqrt(rr) > tolerance * nb && it < maxIterations) {
            op.apply(p, hp);
            it++;
            double curvature = MatOps.dot(p, hp);
            if (!(curvature > 0)) {
                return new Outcome(it, Math.sqrt(rr) / nb, false);
            }
            double a = rr / curvature;
            MatOps.combine(1.0, q, a, p, q);
            MatOps.combine(1.0, r, -a, hp, r);
            double rrNew = MatOps.normSq(r);
            MatOps.combine(1.0, r, rrNew / rr, p, p);
            rr = rrNew;
        }
        double rel = Math.sqrt(rr) / nb;
        return new Outcome(it, rel, rel <= tolerance);
    }
}
