package org.bilevel4j.solver.minimax;

/**
 * The monotone operator of a minimax problem on the stacked point {@code w = (u, v)}:
 * {@code F(w) = (grad_u phi(u, v), -grad_v phi(u, v))}. Internal to the solvers.
 */
interface SaddleOperator {

    /** @return the dimension of u (the first block of w) */
    int uDimension();

    /** @return the dimension of w */
    int dimension();

    /** Writes F(w). Modified: out; not modified: w. */
    void apply(double[] w, double[] out);
}
