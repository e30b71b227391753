package org.bilevel4j.solver.meha;

/**
 * The dynamic-barrier direction of DBGD (Gong, Liu, Liu 2021) and BOME: with the upper objective's
 * gradient {@code gF} and the constraint's gradient {@code gq}, the direction
 * <pre>
 *   d = gF + lambda gq,   lambda = max((eta ||gq||^2 - &lt;gF, gq&gt;) / ||gq||^2, 0),
 * </pre>
 * is the point closest to {@code gF} with {@code <gq, d> >= eta ||gq||^2}: it follows F while the
 * constraint decreases at least at the rate {@code eta ||gq||^2}. Written once here, on the two
 * scalars it needs, so that every solver using it (BOME here; DBGD on the simple-bilevel side) shares
 * the same formula, including the convention {@code lambda = 0} when {@code gq = 0}.
 */
public final class DynamicBarrier {

    private DynamicBarrier() {
    }

    /**
     * @param eta the barrier rate, nonnegative
     * @param gradFDotGradQ {@code <gF, gq>}
     * @param gradQNormSq {@code ||gq||^2}
     * @return the weight lambda of {@code gq} in the direction; 0 when {@code gq = 0}
     */
    public static double lambda(double eta, double gradFDotGradQ, double gradQNormSq) {
        if (!(gradQNormSq > 0)) {
            return 0.0;
        }
        return Math.max((eta * gradQNormSq - gradFDotGradQ) / gradQNormSq, 0.0);
    }
}
