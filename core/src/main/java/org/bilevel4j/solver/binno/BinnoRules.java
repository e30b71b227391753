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
 *   <li>{@link #linesearch}: the backtracking of {@link BinnoWeights.Linesearch}.</li>
 * </ul>
 * A term without a constant gives no window ({0, 1}) and the plain {@code 1/L} step.
 *
 * <p>Reference: L. Selicato, F. Esposito, A. Ang, "BINNO: a 1st-order method for bi-level
 * nonconvex nonsmooth optimization for matrix factorizations", arXiv:2510.21390, 2025.
 */
public final class BinnoRules {

    /** The floor of a Lipschitz constant, so that a zero factor gives a finite step. */
    public static final double TINY = Double.MIN_NORMAL;

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

    /** @return {@code {alpha_min, alpha_max}}, or {0, 1} when f1 or f2 has no constant */
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

    /** @return {@code {beta_min, beta_max}}, or {0, 1} when g1 or g2 has no constant */
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
     */
    public record Choice(double alpha, double beta, int trials) {
    }

    /**
     * The linesearch of {@link BinnoWeights.Linesearch}: start at the middle of the admissible
     * intervals (the windows, clipped to [0, 1], when they are used; else [0, 1]); while a level fails
     * to decrease (relative increase {@code (v - old) / max(1, |old|) > 0}), move both weights halfway
     * towards that level's end (the last trial goes all the way); stop at the first pair where both
     * decrease, else take the pair with the smallest worse relative increase.
     *
     * @param useXWindow whether {@code [aMin, aMax]} bounds alpha (a non-empty window exists)
     * @param useYWindow whether {@code [bMin, bMax]} bounds beta
     * @param old1 Psi1 at the current point
     * @param old2 Psi2 at the current point
     * @param values the objectives at a trial pair
     */
    public static Choice linesearch(BinnoWeights.Linesearch rule, boolean useXWindow, double aMin, double aMax,
            boolean useYWindow, double bMin, double bMax, double old1, double old2, TrialValues values) {
        double aLo = useXWindow ? clip01(aMin) : 0.0;
        double aHi = useXWindow ? clip01(aMax) : 1.0;
        double bLo = useYWindow ? clip01(bMin) : 0.0;
        double bHi = useYWindow ? clip01(bMax) : 1.0;
        double a = 0.5 * (aLo + aHi);
        double b = 0.5 * (bLo + bHi);
        double bestMerit = Double.POSITIVE_INFINITY;
        double bestA = a;
        double bestB = b;
        int trials = 0;
        for (int t = 0; t <= rule.maxBacktracks(); t++) {
            trials++;
            double[] p = values.at(a, b);
            double inc1 = relativeIncrease(p[0], old1);
            double inc2 = relativeIncrease(p[1], old2);
            double merit = Math.max(inc1, inc2);
            if (merit < bestMerit || Double.isNaN(bestMerit)) {
                bestMerit = merit;
                bestA = a;
                bestB = b;
            }
            if (inc1 <= 0 && inc2 <= 0) {
                bestA = a;
                bestB = b;
                break;
            }
            boolean towardUpper = inc1 > 0 && (inc2 <= 0 || inc1 >= inc2);
            boolean last = t + 1 == rule.maxBacktracks();
            if (towardUpper) {
                a = last ? aHi : 0.5 * (a + aHi);
                b = last ? bHi : 0.5 * (b + bHi);
            } else {
                a = last ? aLo : 0.5 * (a + aLo);
                b = last ? bLo : 0.5 * (b + bLo);
            }
        }
        return new Choice(bestA, bestB, trials);
    }

    /**
     * @return the first trial pair of {@link #linesearch}: the middles of the admissible intervals,
     *     {@code {alpha, beta}}
     */
    public static double[] firstTrial(boolean useXWindow, double aMin, double aMax, boolean useYWindow, double bMin,
            double bMax) {
        double aLo = useXWindow ? clip01(aMin) : 0.0;
        double aHi = useXWindow ? clip01(aMax) : 1.0;
        double bLo = useYWindow ? clip01(bMin) : 0.0;
        double bHi = useYWindow ? clip01(bMax) : 1.0;
        return new double[] {0.5 * (aLo + aHi), 0.5 * (bLo + bHi)};
    }

    /** @return {@code (v - old) / max(1, |old|)}, +infinity for a non-finite v */
    public static double relativeIncrease(double v, double old) {
        if (!Double.isFinite(v)) {
            return Double.POSITIVE_INFINITY;
        }
        if (!Double.isFinite(old)) {
            return Double.NEGATIVE_INFINITY;
        }
        return (v - old) / Math.max(1.0, Math.abs(old));
    }

    /** @return v clipped to [0, 1] */
    public static double clip01(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }
}
