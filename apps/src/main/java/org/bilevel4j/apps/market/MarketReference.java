package org.bilevel4j.apps.market;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * The exact solution of the market model, period by period, without iterating.
 *
 * <p><b>Prices (the merit order).</b> For a price {@code lambda}, offers below it run at capacity and
 * above it at zero; loads whose VOLL is above it are served, below it shed. The excess demand
 * {@code E(lambda) = sum_{v_j > lambda} d_j - sum_{p_b < lambda} cap_b} is a nonincreasing
 * step function (an interval at each price level). The lower level's optimality conditions say
 * {@code lambda = rho (served - dispatch)}, i.e. {@code lambda / rho in E(lambda)}; the left side
 * increases and the right side decreases, so exactly one {@code lambda_t} solves it: either at a
 * price level {@code L} with {@code E(L+) <= L/rho <= E(L-)}, or between two levels where
 * {@code lambda = rho E}. Every minimizer of Psi2 has this price and the residual
 * {@code r_t = -lambda_t / rho}; blocks priced below run at capacity, above it at zero, and those at
 * the price are free with a fixed sum (likewise loads whose VOLL equals the price).
 *
 * <p><b>The preferred point on that face.</b> On the face H is constant and the upper level is
 * separable, {@code sum_i a_i/2 v_i^2 + b_i v_i} over the free entries (blocks with sign +1, loads
 * with sign -1) subject to {@code sum_i s_i v_i = target}, {@code lo_i <= v_i <= hi_i}. Its
 * conditions give {@code v_i(tau) = clip((s_i tau - b_i)/a_i, lo_i, hi_i)} (water-filling) with
 * the multiplier {@code tau} found by bisection on the nondecreasing {@code sum_i s_i v_i(tau)}.
 * Needs {@code a_i > 0} on the free entries (all three preferences have it).
 *
 * <p>{@code Psi2*} is then the lower value at this point: all minimizers share it.
 */
public final class MarketReference {

    private MarketReference() {
    }

    /**
     * The reference solution.
     *
     * @param x the preferred dispatch
     * @param y the preferred served demand
     * @param prices the price of each period, $/MWh
     * @param psi2 the optimal lower value Psi2*
     * @param psi1 the upper value at the reference
     */
    public record Solution(DMatrixRMaj x, DMatrixRMaj y, double[] prices, double psi2, double psi1) {
    }

    /**
     * Solves the model's problem exactly.
     *
     * @param model the market model
     * @return the exact solution
     */
    public static Solution solve(MarketModel model) {
        return solve(model.problem(), model.rho(), false);
    }

    /**
     * An arbitrary equilibrium, for comparison: a minimizer of Psi2 with the same prices, whose tied
     * entries are filled in row order (the first tied block to capacity first), ignoring the upper
     * level.
     *
     * @param model the market model
     * @return the equilibrium
     */
    public static Solution arbitrary(MarketModel model) {
        return solve(model.problem(), model.rho(), true);
    }

    /**
     * Solves a market-shaped problem exactly: all four terms {@link BoxedQuadratic}, lower terms
     * linear ({@code a = 0}) with boxes {@code [0, cap]} and {@code [0, d]}, and the balance coupling
     * with weight rho.
     *
     * @param p the market-shaped problem
     * @param rho the weight rho of the problem
     * @return the exact solution
     */
    public static Solution solve(BlockCompositeBilevelProblem p, double rho) {
        return solve(p, rho, false);
    }

    private static Solution solve(BlockCompositeBilevelProblem p, double rho, boolean inOrder) {
        BoxedQuadratic f2 = (BoxedQuadratic) p.f2();
        BoxedQuadratic g2 = (BoxedQuadratic) p.g2();
        BoxedQuadratic f1 = (BoxedQuadratic) p.f1();
        BoxedQuadratic g1 = (BoxedQuadratic) p.g1();
        int nb = f2.rows();
        int nl = g2.rows();
        int nt = f2.cols();
        DMatrixRMaj x = new DMatrixRMaj(nb, nt);
        DMatrixRMaj y = new DMatrixRMaj(nl, nt);
        double[] prices = new double[nt];
        for (int t = 0; t < nt; t++) {
            double lambda = clearingPrice(f2, g2, rho, t);
            prices[t] = lambda;
            double fixedSupply = 0;
            double fixedServed = 0;
            List<double[]> free = new ArrayList<>();
            List<int[]> where = new ArrayList<>();
            for (int b = 0; b < nb; b++) {
                double price = f2.linear(b, t);
                double cap = f2.upper(b, t);
                if (price < lambda) {
                    x.set(b, t, cap);
                    fixedSupply += cap;
                } else if (price > lambda) {
                    x.set(b, t, 0);
                } else {
                    free.add(new double[] {1, f1.curvature(b, t), f1.linear(b, t), 0, cap});
                    where.add(new int[] {0, b});
                }
            }
            for (int j = 0; j < nl; j++) {
                double v = -g2.linear(j, t);
                double d = g2.upper(j, t);
                if (v > lambda) {
                    y.set(j, t, d);
                    fixedServed += d;
                } else if (v < lambda) {
                    y.set(j, t, 0);
                } else {
                    free.add(new double[] {-1, g1.curvature(j, t), g1.linear(j, t), 0, d});
                    where.add(new int[] {1, j});
                }
            }
            if (!free.isEmpty()) {
                // sum_free s_i v_i = r_t - fixedSupply + fixedServed, with r_t = -lambda / rho
                double target = -lambda / rho - fixedSupply + fixedServed;
                double[] v = inOrder ? fillInOrder(free, target) : waterFill(free, target);
                for (int i = 0; i < v.length; i++) {
                    int[] w = where.get(i);
                    (w[0] == 0 ? x : y).set(w[1], t, v[i]);
                }
            }
        }
        return new Solution(x, y, prices, p.lowerValue(x, y), p.upperValue(x, y));
    }

    /** The unique lambda with lambda / rho in E(lambda), for period t. */
    static double clearingPrice(BoxedQuadratic f2, BoxedQuadratic g2, double rho, int t) {
        TreeSet<Double> levels = new TreeSet<>();
        for (int b = 0; b < f2.rows(); b++) {
            levels.add(f2.linear(b, t));
        }
        for (int j = 0; j < g2.rows(); j++) {
            levels.add(-g2.linear(j, t));
        }
        double lo = Double.NEGATIVE_INFINITY;
        for (double level : levels) {
            // open interval (lo, level): E is constant, evaluated at its midpoint side
            double e = excess(f2, g2, t, level, false);
            double cand = rho * e;
            if (cand > lo && cand < level) {
                return cand;
            }
            double ePlus = excess(f2, g2, t, level, true);
            if (ePlus <= level / rho && level / rho <= e) {
                return level;
            }
            lo = level;
        }
        double e = excess(f2, g2, t, Double.POSITIVE_INFINITY, false);
        return rho * e;
    }

    /**
     * E just below (above = false) or just above (above = true) the level: below counts loads with
     * v >= level and offers with p < level; above counts loads with v > level and offers with
     * p <= level.
     */
    private static double excess(BoxedQuadratic f2, BoxedQuadratic g2, int t, double level, boolean above) {
        double e = 0;
        for (int j = 0; j < g2.rows(); j++) {
            double v = -g2.linear(j, t);
            if (above ? v > level : v >= level) {
                e += g2.upper(j, t);
            }
        }
        for (int b = 0; b < f2.rows(); b++) {
            double p = f2.linear(b, t);
            if (above ? p <= level : p < level) {
                e -= f2.upper(b, t);
            }
        }
        return e;
    }

    /**
     * Minimizes {@code sum a_i/2 v_i^2 + b_i v_i} on boxes subject to {@code sum s_i v_i = target};
     * each entry is {sign, a, b, lo, hi}.
     */
    static double[] waterFill(List<double[]> e, double target) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] q : e) {
            if (!(q[1] > 0)) {
                throw new IllegalArgumentException("the reference needs a positive upper-level curvature on every"
                        + " entry at the price");
            }
            // tau at which entry i hits each end: s tau = a v + b
            for (double v : new double[] {q[3], q[4]}) {
                double tau = q[0] * (q[1] * v + q[2]);
                lo = Math.min(lo, tau);
                hi = Math.max(hi, tau);
            }
        }
        lo -= 1;
        hi += 1;
        double[] v = new double[e.size()];
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi) {
                break;
            }
            if (sum(e, mid, v) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // the two ends bracket the target; interpolate between them where the sum is linear
        double sLo = sum(e, lo, v);
        double sHi = sum(e, hi, v);
        double tau = sHi > sLo ? lo + (target - sLo) / (sHi - sLo) * (hi - lo) : 0.5 * (lo + hi);
        sum(e, tau, v);
        return v;
    }

    /** Fills the entries {sign, a, b, lo, hi} in order from their lower bounds until the sum is reached. */
    static double[] fillInOrder(List<double[]> e, double target) {
        double[] v = new double[e.size()];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = e.get(i)[3];
            s += e.get(i)[0] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            double[] q = e.get(i);
            double need = (target - s) * q[0];
            double add = Math.max(0, Math.min(q[4] - q[3], need));
            v[i] += add;
            s += q[0] * add;
        }
        return v;
    }

    private static double sum(List<double[]> e, double tau, double[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double[] q = e.get(i);
            double val = (q[0] * tau - q[2]) / q[1];
            val = Math.min(Math.max(val, q[3]), q[4]);
            v[i] = val;
            s += q[0] * val;
        }
        return s;
    }
}
