package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * A {@link MinimaxBilevelProblem} whose four variables are blocks with exact domains inside their
 * boxes (a simplex, say) and known block Lipschitz bounds, for solvers that take one step size per
 * block ({@code org.bilevel4j.solver.minimax.DanskinPenaltyMinimax}).
 *
 * <p>Domains: the domain of a block is a closed convex set inside its box ({@link #x1Domain()} and so
 * on); {@link #project} is the Euclidean projection onto it (default: the box itself). A scalar step
 * per block keeps the fixed points of a projected step for any such set, which per-coordinate steps
 * do only for boxes.
 *
 * <p>Bounds ({@link #upperLipschitz}, {@link #lowerLipschitz}): entry {@code [b][c]} bounds the
 * operator norm of {@code d/dc grad_b} over the domains, so that
 * {@code ||grad_b f(.., c', ..) - grad_b f(.., c, ..)|| <= L[b][c] ||c' - c||}; the matrices are
 * symmetric for twice differentiable functions. Indices: {@link Block#ordinal()} for f over
 * (x1, x2, y1, y2); 0, 1, 2 for ft over (x1, y1, y2).
 *
 * <p>Thread-safety: as {@link MinimaxBilevelProblem}: implementations need not be thread-safe; a solver
 * calls one method at a time, from one thread.
 */
public interface BlockMinimaxBilevelProblem extends MinimaxBilevelProblem {

    /** The four variables. */
    enum Block {
        /** The upper-level minimization variable. */
        X1,
        /** The upper-level maximization variable. */
        X2,
        /** The lower-level minimization variable. */
        Y1,
        /** The lower-level maximization variable. */
        Y2
    }

    /**
     * @param b a block
     * @return the box of block b ({@link #x1Domain()} for X1, and so on)
     */
    default Box box(Block b) {
        return switch (b) {
            case X1 -> x1Domain();
            case X2 -> x2Domain();
            case Y1 -> y1Domain();
            case Y2 -> y2Domain();
        };
    }

    /**
     * Euclidean projection onto the domain of block b (default: its box). Modified: out (may alias v).
     *
     * @param b the block
     * @param v the point to project, of the block's shape
     * @param out modified: receives {@code argmin_{u in domain} ||u - v||}, of the block's shape
     */
    default void project(Block b, DMatrixRMaj v, DMatrixRMaj out) {
        box(b).project(v, out);
    }

    /** @return 4 x 4 bounds {@code L[b][c]} on the block Lipschitz constants of grad f over (x1, x2, y1, y2) */
    double[][] upperLipschitz();

    /** @return 3 x 3 bounds {@code L[b][c]} on the block Lipschitz constants of grad ft over (x1, y1, y2) */
    double[][] lowerLipschitz();

    /**
     * A constant c such that the gradient of the penalty value function
     * {@code phi_rho(x1) = min_{y1, y2} max_{x2, z1, z2} P_rho} satisfies the descent lemma with constant
     * {@code c rho} (so that the projected-gradient step {@code 1 / (c rho)} decreases phi_rho). For a
     * lower level strongly concave in y2 with modulus tau and coupled to x1 only through a term
     * {@code <y2, x1>}, and an upper level that does not depend on x1, {@code c = 1 / tau}: phi_rho is
     * then a convex function with a {@code rho / tau}-Lipschitz gradient plus a concave one.
     *
     * @return c, the descent-lemma constant of {@code grad phi_rho} divided by rho
     */
    double valueLipschitzPerRho();
}
