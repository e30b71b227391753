package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.SimpleBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * The two-dimensional toy of the DBGD method page (a closed-form replacement for the paper's
 * problem (24)):
 * <pre>
 *   minimize f(x) = 1/2 ||x - c||^2   subject to   x in argmin g,   g(x) = 1/4 (||x||^2 - 1)^2,
 * </pre>
 * whose lower-level solutions form the unit circle. For {@code c != 0} the bilevel solution is
 * {@code x* = c / ||c||} with {@code f* = 1/2 (||c|| - 1)^2}; the antipode {@code -c / ||c||} is the
 * other stationary point (the maximum of f on the circle), and different starts reach different ones.
 * <ul>
 *   <li>{@link #caseTwo()}: {@code c = (2, 0)}, case II: {@code grad f} points against {@code grad g}
 *       near {@code x*} ({@code cos(theta) -> -1}), DBGD's multiplier grows without bound.</li>
 *   <li>{@link #caseOne()}: {@code c = (1, 0)}, case I: {@code grad f(x*) = 0}; approaching {@code x*}
 *       along the axis, DBGD's multiplier tends to {@code max(beta - 1/2, 0)}.</li>
 * </ul>
 * The penalty method with step {@code eta / gamma} ends instead at {@code (r, 0)} with
 * {@code (r - c1) + gamma (r^2 - 1) r = 0} ({@link #penaltyLimit}).
 *
 * @param name a label for tables ("case I", "case II")
 * @param c1 first coordinate of c
 * @param c2 second coordinate of c
 */
public record CircleToy(String name, double c1, double c2) {

    /**
     * Rejects a non-finite or zero c.
     *
     * @param name a label for tables ("case I", "case II")
     * @param c1 first coordinate of c
     * @param c2 second coordinate of c
     */
    public CircleToy {
        if (!Double.isFinite(c1) || !Double.isFinite(c2) || (c1 == 0 && c2 == 0)) {
            throw new IllegalArgumentException("c must be finite and nonzero, got (" + c1 + ", " + c2 + ")");
        }
    }

    /** @return case I, {@code c = (1, 0)} */
    public static CircleToy caseOne() {
        return new CircleToy("case I", 1, 0);
    }

    /** @return case II, {@code c = (2, 0)} */
    public static CircleToy caseTwo() {
        return new CircleToy("case II", 2, 0);
    }

    /** @return the problem {@code min 1/2 ||x - c||^2 over argmin 1/4 (||x||^2 - 1)^2} */
    public SimpleBilevelProblem problem() {
        return SimpleBilevelProblem.of(new HalfSqrDistance(point(c1, c2)), new CircleQuartic());
    }

    /**
     * @param a the first entry
     * @param b the second entry
     * @return the 2 x 1 vector (a, b)
     */
    public static DMatrixRMaj point(double a, double b) {
        return new DMatrixRMaj(2, 1, true, a, b);
    }

    /** @return the bilevel solution {@code c / ||c||} as {x1, x2} */
    public double[] solution() {
        double n = Math.hypot(c1, c2);
        return new double[] {c1 / n, c2 / n};
    }

    /** @return {@code f* = 1/2 (||c|| - 1)^2} */
    public double optimalValue() {
        double t = Math.hypot(c1, c2) - 1;
        return 0.5 * t * t;
    }

    /** @return the two stationary points {@code +- c / ||c||} on the circle, the solution first */
    public double[][] stationaryPoints() {
        double[] s = solution();
        return new double[][] {s, {-s[0], -s[1]}};
    }

    /** @return whether {@code ||c|| = 1}, so that {@code grad f(x*) = 0} (case I) */
    public boolean isCaseOne() {
        return Math.abs(Math.hypot(c1, c2) - 1) < 1e-15;
    }

    /**
     * The limit of the penalty method for {@code c = (c1, 0)}, {@code c1 > 0}, from a start with a
     * positive first coordinate: the root {@code r > 0} of {@code (r - c1) + gamma (r^2 - 1) r = 0}
     * (bisection on [min(1, c1), max(1, c1)], where the left side changes sign).
     *
     * @param gamma the penalty weight, positive
     * @return the point {@code (r, 0)} as {r, 0}
     */
    public double[] penaltyLimit(double gamma) {
        if (c2 != 0 || !(c1 > 0)) {
            throw new IllegalStateException("penaltyLimit is written for c = (c1, 0) with c1 > 0");
        }
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive, got " + gamma);
        }
        double lo = Math.min(1.0, c1);
        double hi = Math.max(1.0, c1);
        for (int i = 0; i < 200 && hi - lo > 0; i++) {
            double mid = 0.5 * (lo + hi);
            double v = (mid - c1) + gamma * (mid * mid - 1) * mid;
            if (v < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new double[] {0.5 * (lo + hi), 0};
    }

    /**
     * @param beta the barrier weight beta
     * @return DBGD's limiting multiplier in case I along the axis, {@code max(beta - 1/2, 0)}
     */
    public static double caseOneMultiplierLimit(double beta) {
        return Math.max(beta - 0.5, 0.0);
    }
}
