package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * A smooth minimax problem {@code min_{u in U} max_{v in V} phi(u, v)} over compact boxes, the
 * problem class of {@code org.bilevel4j.solver.minimax.MinimaxSolver}. The solver works with the
 * operator {@code F(u, v) = (grad_u phi, -grad_v phi)}, which is monotone when phi is convex in u and
 * concave in v.
 *
 * <p>Vectors are n x 1 {@link DMatrixRMaj}. Not modified: u, v.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread.
 */
public interface SaddleProblem {

    /** @return U, the domain of the minimization variable */
    Box uDomain();

    /** @return V, the domain of the maximization variable */
    Box vDomain();

    /**
     * @param u the minimization variable u, not modified
     * @param v the maximization variable v, not modified
     * @return {@code phi(u, v)}
     */
    double value(DMatrixRMaj u, DMatrixRMaj v);

    /**
     * Writes {@code gu = grad_u phi(u, v)} and {@code gv = grad_v phi(u, v)} (plain gradients, not
     * negated). Modified: gu, gv.
     *
     * @param u the minimization variable u, not modified
     * @param v the maximization variable v, not modified
     * @param gu modified: receives {@code grad_u phi}
     * @param gv modified: receives {@code grad_v phi}
     */
    void gradient(DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj gu, DMatrixRMaj gv);
}
