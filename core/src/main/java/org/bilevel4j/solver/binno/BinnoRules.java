package org.bilevel4j.solver.binno;

import java.util.OptionalDouble;

/**
 * The scalar rules of one {@link Binno} iteration, shared by every implementation of the method
 * (the single-machine {@link Binno} and the distributed one of the {@code spark} module) so that
 * they take the same step sizes, windows and weights from the same numbers.
 *
 * <p>With {@code L_f} the Frobenius-norm Lipschitz constant of a term (empty for an indicator):
 * <ul>
 *   <li>{@link #stepX}: {@code nu_X = min(1 / (sqrt((L_X + L_f2)(L_X + L_f1)) - L_X), 1 / L_X)};</li>
 *   <li>{@link #windowX}: {@code alpha_min = (1/nu_X + L_X) / (L_f1 + 1/nu_X + 2 L_X)},
 *       {@code alpha_max = (L_f2 + L_X) / (L_f2 + 1/nu_X + 2 L_X)};</li>
 *   <li>{@link #stepY}: {@code A = L_u + L_l}, {@code B = L_g1 L_g2 + L_g2 L_u + L_g1 L_l},
 *       {@code nu_Y = min(2 / (sqrt(A^2 + 4B) - A), 1 / max(L_u, L_l))};</li>
 *   <li>{@link #windowY}: {@code beta_min = (1/nu_Y + L_u) / (L_g1 + 1/nu_Y + 2 L_u)},
 *       {@code beta_max = (L_g2 + L_l) / (L_g2 + 1/nu_Y + 2 L_l)};</li>
 *   <li>{@link #linesearch}: the bisection of {@link BinnoWeights.Linesearch} with a sufficient-decrease
 *       condition on both levels.</li>
 * </ul>
 * A term without a constant gives no window ({0, 1}) and the plain {@code 1/L} step.
 *
 * <p>Reference: L. Selicato, F. Esposito, A. Ang, "BINNO: a 1st-order method for bi-level
 * nonconvex nonsmooth optimization for matrix factorizations", arXiv:2510.21390, 2025.
 */
public final class BinnoRules {

    /**
     * The floor of a Lipschitz constant, {@code 2^-52} (the relative precision of a double): every step
     * {@code 1/L} is at most {@code 2^52 = 4.5e15}. A constant below it is zero at the scale of the data,
     * as when a factor is thresholded to zero: with {@code Y = 0}, {@code grad_X H = 0} and the X step
     * moves nothing; with {@code ||Y||^2 <= L_X < TINY}, the factorization's gradient
     * {@code ||(XY - M) Y^T|| <= ||XY - M|| ||Y||} moves X by at most
     * {@code ||XY - M|| ||Y|| / TINY < ||XY - M|| / sqrt(TINY) = 6.7e7 ||XY - M||}, finite. (A floor at
     * {@code Double.MIN_NORMAL} allowed steps near {@code 4.5e307}, which overflow as soon as they
     * multiply a gradient above {@code 4e0}.)
     */
    public static final double TINY = 0x1p-52;

    private BinnoRules() {
    }

    /**
     * @param lx {@code L_X}, the Lipschitz constant of {@code grad_X H(., Y)} (floored at {@link #TINY})
     * @param lf1 the constant of f1 (empty for an indicator)
     * @param lf2 the constant of f2
     * @return {@code nu_X}
     */
    public static double stepX(double lx, OptionalDouble lf1, OptionalDouble lf2) {
        double nuX = 1.0 / lx;
        if (lf1.isPresent() && lf2.isPresent()) {
            double denom = Math.sqrt((lx + lf2.getAsDouble()) * (lx + lf1.getAsDouble())) - lx;
            if (denom > 0) {
                nuX = Math.min(1.0 / denom, nuX);
            }
        }
        return nuX;
    }

    /**
     * The admissible window of the X weight alpha (formula in the class comment).
     *
     * @param nuX the X step {@code nu_X} ({@link #stepX})
     * @param lx {@code L_X}, the Lipschitz constant of {@code grad_X H(., Y)}
     * @param lf1 the constant of f1 (empty for an indicator)
     * @param lf2 the constant of f2 (empty for an indicator)
     * @return {@code {alpha_min, alpha_max}}, or {0, 1} when f1 or f2 has no constant
     */
    public static double[] windowX(double nuX, double lx, OptionalDouble lf1, OptionalDouble lf2) {
        if (lf1.isEmpty() || lf2.isEmpty()) {
            return new double[] {0, 1};
        }
        double a = lf1.getAsDouble();
        double b = lf2.getAsDouble();
        return new double[] {(1 / nuX + lx) / (a + 1 / nuX + 2 * lx), (b + lx) / (b + 1 / nuX + 2 * lx)};
    }

    /**
     * @param lu {@code L_u = Lip(grad_Y H(Xu, .))}
     * @param ll {@code L_l = Lip(grad_Y H(Xl, .))}
     * @param lg1 the constant of g1 (empty for an indicator)
     * @param lg2 the constant of g2
     * @return {@code nu_Y}
     */
    public static double stepY(double lu, double ll, OptionalDouble lg1, OptionalDouble lg2) {
        double lMax = Math.max(Math.max(lu, ll), TINY);
        double nuY = 1.0 / lMax;
        if (lg1.isPresent() && lg2.isPresent()) {
            double g1 = lg1.getAsDouble();
            double g2 = lg2.getAsDouble();
            double aa = lu + ll;
            double bb = g1 * g2 + g2 * lu + g1 * ll;
            if (bb > 0) {
                // 2 / (sqrt(A^2 + 4B) - A) written without the cancellation
                double nuTh = (Math.sqrt(aa * aa + 4 * bb) + aa) / (2 * bb);
                nuY = Math.min(nuTh, nuY);
            }
        }
        return nuY;
    }

    /**
     * The admissible window of the Y weight beta (formula in the class comment).
     *
     * @param nuY the Y step {@code nu_Y} ({@link #stepY})
     * @param lu {@code L_u = Lip(grad_Y H(Xu, .))}
     * @param ll {@code L_l = Lip(grad_Y H(Xl, .))}
     * @param lg1 the constant of g1 (empty for an indicator)
     * @param lg2 the constant of g2 (empty for an indicator)
     * @return {@code {beta_min, beta_max}}, or {0, 1} when g1 or g2 has no constant
     */
    public static double[] windowY(double nuY, double lu, double ll, OptionalDouble lg1, OptionalDouble lg2) {
        if (lg1.isEmpty() || lg2.isEmpty()) {
            return new double[] {0, 1};
        }
        double a = lg1.getAsDouble();
        double b = lg2.getAsDouble();
        return new double[] {(1 / nuY + lu) / (a + 1 / nuY + 2 * lu), (b + ll) / (b + 1 / nuY + 2 * ll)};
    }

    /** The two objectives at a trial pair of weights. */
    @FunctionalInterface
    public interface TrialValues {
        /**
         * @param a the X weight alpha
         * @param b the Y weight beta
         * @return {@code {Psi1, Psi2}} at {@code X = a Xu + (1 - a) Xl}, {@code Y = b Yu + (1 - b) Yl}
         */
        double[] at(double a, double b);
    }

    /**
     * The weights a linesearch chose.
     *
     * @param alpha the X weight
     * @param beta the Y weight
     * @param trials the number of trial pairs evaluated
     * @param descent whether (alpha, beta) satisfies the sufficient-decrease condition on both levels; false
     *     when no trial did and the pair is the fallback of {@link #linesearch}
     */
    public record Choice(double alpha, double beta, int trials, boolean descent) {
    }

    /**
     * The squared step lengths of the trial mixtures, from six sums: with {@code dXu = Xu - X},
     * {@code dXl = Xl - X} (and likewise for Y),
     * {@code ||X(a) - X||^2 = a^2 ||dXu||^2 + 2 a (1 - a) <dXu, dXl> + (1 - a)^2 ||dXl||^2}, since
     * {@code X(a) - X = a dXu + (1 - a) dXl}. {@link #measure} is the sufficient-decrease measure
     * {@code D(a, b) = ||X(a) - X||^2 / (2 nu_X) + ||Y(b) - Y||^2 / (2 nu_Y)}.
     *
     * @param xuu {@code ||Xu - X||^2}
     * @param xul {@code <Xu - X, Xl - X>}
     * @param xll {@code ||Xl - X||^2}
     * @param nuX the X step
     * @param yuu {@code ||Yu - Y||^2}
     * @param yul {@code <Yu - Y, Yl - Y>}
     * @param yll {@code ||Yl - Y||^2}
     * @param nuY the Y step
     */
    public record StepLengths(double xuu, double xul, double xll, double nuX, double yuu, double yul, double yll,
            double nuY) {

        /** No step length: the condition is plain simultaneous decrease. */
        public static final StepLengths NONE = new StepLengths(0, 0, 0, 1, 0, 0, 0, 1);

        /**
         * @param x the current X
         * @param xu the upper candidate
         * @param xl the lower candidate
         * @param nuX the X step
         * @param y the current Y
         * @param yu the upper candidate
         * @param yl the lower candidate
         * @param nuY the Y step
         * @return the sums of the two blocks
         */
        public static StepLengths of(double[] x, double[] xu, double[] xl, double nuX, double[] y, double[] yu,
                double[] yl, double nuY) {
            double[] dx = differenceSums(x, xu, xl);
            double[] dy = differenceSums(y, yu, yl);
            return new StepLengths(dx[0], dx[1], dx[2], nuX, dy[0], dy[1], dy[2], nuY);
        }

        /**
         * The sufficient-decrease measure
         * {@code D(a, b) = ||X(a) - X||^2 / (2 nu_X) + ||Y(b) - Y||^2 / (2 nu_Y)}, each squared length
         * from the three sums and floored at 0 against rounding.
         *
         * @param a the X weight alpha
         * @param b the Y weight beta
         * @return {@code D(a, b)}, never negative
         */
        public double measure(double a, double b) {
            return squaredLength(a, xuu, xul, xll) / (2 * nuX) + squaredLength(b, yuu, yul, yll) / (2 * nuY);
        }

        private static double squaredLength(double a, double uu, double ul, double ll) {
            double c = 1 - a;
            return Math.max(a * a * uu + 2 * a * c * ul + c * c * ll, 0.0);
        }
    }

    /**
     * @param x the current block (its data array)
     * @param u the upper candidate
     * @param l the lower candidate
     * @return {@code {||u - x||^2, <u - x, l - x>, ||l - x||^2}}
     */
    public static double[] differenceSums(double[] x, double[] u, double[] l) {
        double uu = 0;
        double ul = 0;
        double ll = 0;
        for (int i = 0; i < u.length; i++) {
            double du = u[i] - x[i];
            double dl = l[i] - x[i];
            uu += du * du;
            ul += du * dl;
            ll += dl * dl;
        }
        return new double[] {uu, ul, ll};
    }

    /**
     * The linesearch of {@link BinnoWeights.Linesearch}: a bisection on the segment of weight pairs from
     * the lower end {@code (aLo, bLo)} (the lower level's candidates) to the upper end
     * {@code (aHi, bHi)}, where {@code [aLo, aHi]} is the X window clipped to [0, 1] when it is used and
     * [0, 1] otherwise (likewise for beta). A pair (a, b) is accepted when both levels satisfy the
     * Armijo-type sufficient-decrease condition
     * <pre>
     *   v_i = (Psi_i(a, b) - Psi_i + sigma D(a, b)) / max(1, |Psi_i|) &lt;= 0,   i = 1, 2,
     * </pre>
     * with {@code D} the proximal step measure of {@link StepLengths} (for convex f1, g1 and
     * {@code nu <= 1/L}, the pure upper candidates satisfy {@code Psi1(Xu, Yu) <= Psi1 - D(1, 1)} by the
     * descent lemma, and the lower ones {@code Psi2(Xl, Yl) <= Psi2 - D(0, 0)}, so any sigma in [0, 1)
     * holds at the ends for the level of that end). The first trial is the middle of the segment. The
     * bracket {@code [lo, hi]} of the segment parameter starts at [0, 1]; after a trial at t: when only
     * the upper level fails ({@code v1 > 0 >= v2}), or both fail and {@code v1 >= v2}, the trial needs
     * more of the upper candidates and {@code lo = t}; otherwise {@code hi = t}; the next trial is
     * {@code t = (lo + hi) / 2}. When the upper level's acceptable set is {@code [t1, 1]} and the lower
     * level's is {@code [0, t2]} with {@code t1 <= t2}, the bracket keeps {@code lo < t1} and
     * {@code hi > t2}, so the search finds a pair in {@code [t1, t2]} within
     * {@code log2(1 / (t2 - t1))} trials. The last trial (number {@code 1 + maxBacktracks}, when
     * {@code maxBacktracks >= 1}) is the end of the segment itself, t = 1 or t = 0, when the search is
     * moving towards that end and has never moved the bracket from it: there the level of that end
     * decreases (and an indicator of the lower level is finite at t = 0, where a mixture with the
     * upper candidates may leave its set at every t &gt; 0).
     *
     * <p>Fallback: when none of the {@code 1 + maxBacktracks} trials is accepted (no simultaneous
     * sufficient descent, as at a Pareto-critical point of (Psi1, Psi2)), the result is the trial with
     * the smallest {@code max(v1, v2)} (the first of equals), with {@link Choice#descent()} false:
     * {@link Binno} records that in its trace column {@code descent_failed} and in the result's message.
     * A non-finite value counts as {@code v = +infinity}.
     *
     * @param rule the number of backtracks and sigma
     * @param useXWindow whether {@code [aMin, aMax]} bounds alpha (a non-empty window exists)
     * @param aMin the X window's lower end
     * @param aMax the X window's upper end
     * @param useYWindow whether {@code [bMin, bMax]} bounds beta
     * @param bMin the Y window's lower end
     * @param bMax the Y window's upper end
     * @param old1 Psi1 at the current point
     * @param old2 Psi2 at the current point
     * @param lengths the step lengths for {@code D} ({@link StepLengths#NONE} for plain decrease)
     * @param values the objectives at a trial pair
     * @return the chosen pair
     */
    public static Choice linesearch(BinnoWeights.Linesearch rule, boolean useXWindow, double aMin, double aMax,
            boolean useYWindow, double bMin, double bMax, double old1, double old2, StepLengths lengths,
            TrialValues values) {
        double aLo = useXWindow ? clip01(aMin) : 0.0;
        double aHi = useXWindow ? clip01(aMax) : 1.0;
        double bLo = useYWindow ? clip01(bMin) : 0.0;
        double bHi = useYWindow ? clip01(bMax) : 1.0;
        // the bracket, as its two ends in weight space (t = lo and t = hi)
        double aL = aLo;
        double aH = aHi;
        double bL = bLo;
        double bH = bHi;
        double bestMerit = Double.POSITIVE_INFINITY;
        double bestA = Double.NaN;
        double bestB = Double.NaN;
        int trials = 0;
        // the last trial goes to the segment's end itself when the bracket still reaches it (lo = 0 or
        // hi = 1, that end never tried): the ends are where one level's own descent is guaranteed
        boolean towardUpper = false;
        boolean loMoved = false;
        boolean hiMoved = false;
        while (trials <= rule.maxBacktracks()) {
            double a;
            double b;
            boolean last = trials > 0 && trials == rule.maxBacktracks();
            if (last && towardUpper && !hiMoved) {
                a = aH;
                b = bH;
            } else if (last && !towardUpper && !loMoved) {
                a = aL;
                b = bL;
            } else {
                a = 0.5 * (aL + aH);
                b = 0.5 * (bL + bH);
            }
            trials++;
            double[] p = values.at(a, b);
            double sd = rule.sigma() * lengths.measure(a, b);
            double v1 = violation(p[0], old1, sd);
            double v2 = violation(p[1], old2, sd);
            if (v1 <= 0 && v2 <= 0) {
                return new Choice(a, b, trials, true);
            }
            double merit = Math.max(v1, v2);
            if (merit < bestMerit || Double.isNaN(bestA)) {
                bestMerit = merit;
                bestA = a;
                bestB = b;
            }
            towardUpper = v1 > 0 && (v2 <= 0 || v1 >= v2);
            if (towardUpper) {
                aL = a;
                bL = b;
                loMoved = true;
            } else {
                aH = a;
                bH = b;
                hiMoved = true;
            }
        }
        return new Choice(bestA, bestB, trials, false);
    }

    /**
     * The scaled violation of a sufficient-decrease condition {@code v <= old - decrease}.
     *
     * @param v the objective at the trial
     * @param old the objective at the current point
     * @param decrease the required decrease ({@code sigma D(a, b)})
     * @return {@code (v - old + decrease) / max(1, |old|)}: positive when v misses the required decrease;
     *     +infinity for a non-finite v, -infinity for a non-finite old (and finite v)
     */
    public static double violation(double v, double old, double decrease) {
        if (!Double.isFinite(v)) {
            return Double.POSITIVE_INFINITY;
        }
        if (!Double.isFinite(old)) {
            return Double.NEGATIVE_INFINITY;
        }
        return (v - old + decrease) / Math.max(1.0, Math.abs(old));
    }

    /**
     * @param useXWindow whether {@code [aMin, aMax]} bounds alpha
     * @param aMin the X window's lower end
     * @param aMax the X window's upper end
     * @param useYWindow whether {@code [bMin, bMax]} bounds beta
     * @param bMin the Y window's lower end
     * @param bMax the Y window's upper end
     * @return the first trial pair of {@link #linesearch}: the middles of the admissible intervals (each
     *     window clipped to [0, 1], or [0, 1] when unused), {@code {alpha, beta}}
     */
    public static double[] firstTrial(boolean useXWindow, double aMin, double aMax, boolean useYWindow, double bMin,
            double bMax) {
        double aLo = useXWindow ? clip01(aMin) : 0.0;
        double aHi = useXWindow ? clip01(aMax) : 1.0;
        double bLo = useYWindow ? clip01(bMin) : 0.0;
        double bHi = useYWindow ? clip01(bMax) : 1.0;
        return new double[] {0.5 * (aLo + aHi), 0.5 * (bLo + bHi)};
    }

    /**
     * @param v a weight
     * @return v clipped to [0, 1], {@code min(1, max(0, v))}
     */
    public static double clip01(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }
}
