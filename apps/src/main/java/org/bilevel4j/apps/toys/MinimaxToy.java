package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;

/**
 * A bilevel minimax test problem with a known solution (the method page's T1 to T5).
 */
public interface MinimaxToy {

    /** @return the short name, "T1" to "T5" */
    String name();

    /** @return one line saying what the problem tests */
    String description();

    /** @return the problem */
    MinimaxBilevelProblem problem();

    /** @return the solution (x1*, x2*, y1*, y2*), from a closed form or a golden-section search */
    MinimaxBilevelPoint solution();

    /** @return the upper-level value at the solution */
    double solutionValue();

    /** @return the start point of the experiments */
    MinimaxBilevelPoint start();

    /**
     * The lower level's exact duality gap at (x1, y1, y2):
     * {@code max_{z2 in Y2} ft(x1, y1, z2) - min_{z1 in Y1} ft(x1, z1, y2)}, zero exactly when (y1, y2)
     * solves the lower level for x1.
     *
     * @param p the point
     * @return the gap, 0 at a lower-level saddle point
     */
    double lowerGap(MinimaxBilevelPoint p);

    /**
     * @return the error that the checks use: the largest absolute deviation from the solution over
     *     x1, y1 and y2 (the lower-level multiplier of T4 excluded, see {@link #multiplierError})
     * @param p the point
     */
    default double error(MinimaxBilevelPoint p) {
        MinimaxBilevelPoint s = solution();
        return Math.max(maxAbs(p.x1().data, s.x1().data),
                Math.max(maxAbs(p.y1().data, s.y1().data), maxAbs(p.y2().data, s.y2().data)));
    }

    /**
     * @param p the point
     * @return the largest absolute deviation of x2 from the solution (0 when there is no x2)
     */
    default double errorX2(MinimaxBilevelPoint p) {
        return maxAbs(p.x2().data, solution().x2().data);
    }

    /**
     * @param p the point
     * @return the largest absolute deviation in x1
     */
    default double errorX1(MinimaxBilevelPoint p) {
        return maxAbs(p.x1().data, solution().x1().data);
    }

    /**
     * @param p the point
     * @return for a constrained lower level, the multiplier's error; NaN otherwise
     */
    default double multiplierError(MinimaxBilevelPoint p) {
        return Double.NaN;
    }

    /**
     * @param a a vector
     * @param b a vector of the same length
     * @return max_i |a_i - b_i|
     */
    static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
