package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * Second-order products of the smooth lower level f of a {@link BilevelProblem}, the only
 * second-order information implicit differentiation needs:
 * <pre>
 *   hessianYY:  out = grad^2_yy f(x, y) v        (shape of y)
 *   crossXY:    out = grad^2_xy f(x, y) w = grad_x &lt;grad_y f(x, y), w&gt;   (shape of x)
 * </pre>
 * A problem that knows them analytically implements this interface next to
 * {@link BilevelProblem}; otherwise the finite-difference implementation in
 * {@code org.bilevel4j.solver.meha.FiniteDifferenceHessianProducts} builds both from gradients.
 * Arguments other than {@code out} are not modified.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread.
 */
public interface LowerHessianProducts {

    /**
     * {@code out = grad^2_yy f(x, y) v}. Modified: out (must not alias v).
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param v the direction in y, not modified
     * @param out modified: receives the result
     */
    void hessianYY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj v, DMatrixRMaj out);

    /**
     * {@code out = grad^2_xy f(x, y) w}, the x-gradient of {@code <grad_y f(x, y), w>}. Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param w the direction in y, not modified
     * @param out modified: receives the result
     */
    void crossXY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w, DMatrixRMaj out);
}
