package org.bilevel4j.problem;

import java.util.Locale;

/**
 * The bound on the lower level's Lagrange multipliers that a Slater point gives, and the box of
 * multipliers a {@link ConstrainedLowerLevel} uses. For a convex lower level
 * {@code min_z { fb(x, z) : gb(x, z) <= 0 }} with a point {@code z_s} where {@code gb(x, z_s) <= -G < 0},
 * every optimal multiplier satisfies
 * <pre>
 *   ||lambda*||_1 &lt;= (fb(x, z_s) - min_z fb(x, z)) / G .
 * </pre>
 *
 * @param margin the Slater margin G: {@code min_x min_i -gb_i(x, z_s)} over the checked x (or the one
 *     the user supplied, which may only be smaller)
 * @param objectiveAtSlater the largest {@code fb(x, z_s)} over the checked x
 * @param objectiveLowerBound the smallest lower bound on {@code min_z fb(x, z)} over the checked x
 * @param bound the multiplier bound {@code max_x (fb(x, z_s) - lower bound(x)) / G}
 * @param cap the upper end B of the multiplier box {@code [0, B]^k} actually used, at least {@code bound}
 * @param checkedPoints how many x the extremes were taken over
 * @param vertices whether the checked points include every vertex of X (then the extremes are exact
 *     when fb and gb are convex in x)
 */
public record MultiplierBound(double margin, double objectiveAtSlater, double objectiveLowerBound, double bound,
        double cap, int checkedPoints, boolean vertices) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "||lambda*||_1 <= %.6g (Slater margin %.6g, fb at the Slater point <= %.6g, fb >= %.6g, over %d"
                        + " points of X%s); multipliers in [0, %.6g]",
                bound, margin, objectiveAtSlater, objectiveLowerBound, checkedPoints,
                vertices ? " with every vertex" : "", cap);
    }
}
