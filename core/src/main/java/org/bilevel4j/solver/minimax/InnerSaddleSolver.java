package org.bilevel4j.solver.minimax;

import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * Solves the inner saddle problem of {@link DanskinPenaltyMinimax} at fixed x1 and rho,
 * <pre>
 *   min_{y1 in Y1, y2 in Y2} max_{x2 in X2, z1 in Y1, z2 in Y2}  P_rho(x1, x2, y1, y2, z1, z2),
 * </pre>
 * in place from a warm start. The default is block-step projected extragradient (inside
 * DanskinPenaltyMinimax); a problem with more structure can supply its own (for example best responses
 * in closed form for strongly concave blocks and a quasi-Newton method for the rest).
 */
@FunctionalInterface
public interface InnerSaddleSolver {

    /**
     * Moves (y1, y2, x2, z1, z2) to an approximate inner saddle point. Modified: y1, y2, x2, z1, z2 (the
     * start on entry, the result on return; each must stay in its domain). Not modified: x1.
     *
     * @param problem the problem (its domains, projections and block Lipschitz bounds)
     * @param x1 the fixed upper-level minimization variable (a column vector; DanskinPenaltyMinimax passes
     *     a copy)
     * @param rho the penalty parameter of P_rho, positive
     * @param y1 modified: the lower-level minimization variable
     * @param y2 modified: the lower-level maximization variable
     * @param x2 modified: the upper-level maximization variable
     * @param z1 modified: the lower level's minimizing response to y2, in the term {@code -rho ft(x1, z1, y2)}
     * @param z2 modified: the lower level's maximizing response to y1, in the term {@code rho ft(x1, y1, z2)}
     * @param tol the accuracy asked for, in units of the gradient (the caller's eps times its inner factor)
     * @return the gradient evaluations spent (for the counters)
     */
    long solve(BlockMinimaxBilevelProblem problem, DMatrixRMaj x1, double rho, DMatrixRMaj y1, DMatrixRMaj y2,
            DMatrixRMaj x2, DMatrixRMaj z1, DMatrixRMaj z2, double tol);
}
