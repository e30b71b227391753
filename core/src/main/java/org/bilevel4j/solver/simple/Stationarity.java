package org.bilevel4j.solver.simple;

/**
 * The {@code (eps_f, eps_g)} test of Definition 3.1 of Cao, Jiang, Hamedani and Mokhtari
 * (arXiv 2507.23155): a point {@code x} is {@code (eps_f, eps_g)}-stationary for
 * {@code min f over argmin g} when
 * <pre>
 *   ||grad g(x)|| &lt;= eps_g   and   ||grad f(x) + lambda grad g(x)|| &lt;= eps_f  for some lambda &gt;= 0.
 * </pre>
 * Every simple bilevel solver of this package stops with
 * {@link org.bilevel4j.solver.StopReason#CONVERGED} once {@code ||grad g|| <= epsG} and
 * {@code ||d|| <= epsF} at the current iterate, where {@code d} is the solver's direction (see
 * {@link SimpleBilevelState#dNorm()}; for DBGD and the penalty method {@code d} has the form
 * {@code grad f + lambda grad g} with {@code lambda >= 0}, so the test certifies the definition). With a
 * simple set C both measures are gradient mappings, {@code ||x - P_C(x - eta v)|| / eta} for
 * {@code v = d} and {@code v = grad g} ({@link SimpleBilevelState#gradGMappingNorm()}), the projected
 * form of the definition: a solution on the boundary of C, where {@code grad g} need not vanish, passes.
 *
 * @param epsF tolerance on {@code ||d||}, finite and nonnegative
 * @param epsG tolerance on {@code ||grad g||}, finite and nonnegative
 */
public record Stationarity(double epsF, double epsG) {

    /**
     * Rejects negative, infinite and NaN tolerances.
     *
     * @param epsF tolerance on {@code ||d||}, finite and nonnegative
     * @param epsG tolerance on {@code ||grad g||}, finite and nonnegative
     */
    public Stationarity {
        if (!(epsF >= 0) || Double.isInfinite(epsF)) {
            throw new IllegalArgumentException("epsF must be finite and nonnegative, got " + epsF);
        }
        if (!(epsG >= 0) || Double.isInfinite(epsG)) {
            throw new IllegalArgumentException("epsG must be finite and nonnegative, got " + epsG);
        }
    }

    /**
     * @param eps the tolerance of both tests, positive
     * @return the test with {@code epsF = epsG = eps}
     */
    public static Stationarity of(double eps) {
        return new Stationarity(eps, eps);
    }

    /**
     * @param dNorm {@code ||d||} at the iterate
     * @param gradGNorm {@code ||grad g||} at the iterate
     * @return whether both tolerances hold
     */
    public boolean holds(double dNorm, double gradGNorm) {
        return gradGNorm <= epsG && dNorm <= epsF;
    }
}
