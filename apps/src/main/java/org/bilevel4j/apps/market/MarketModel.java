package org.bilevel4j.apps.market;

import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.problem.BalanceCoupling;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * The regularized market clearing as a {@link BlockCompositeBilevelProblem} on X (blocks x T, the
 * dispatch) and Y (loads x T, the served demand):
 * <pre>
 *   lower (the market)  Psi2 = f2(X) + g2(Y) + H(X, Y)
 *       f2(X) = sum_bt p_b X_bt + ind{0 &lt;= X_bt &lt;= cap_b}                    (offer cost)
 *       g2(Y) = sum_jt VOLL_j (d_jt - Y_jt) + ind{0 &lt;= Y_jt &lt;= d_jt}         (unserved energy)
 *       H(X, Y) = rho/2 sum_t (sum_b X_bt - sum_j Y_jt)^2                     (balance)
 *   upper (the policy)  Psi1 = f1(X) + g1(Y) + H(X, Y), the same boxes, and
 *       fair       f1 = mu/2 ||X||^2
 *       schedule   f1 = mu/2 ||X - X_pref||^2
 *       emissions  f1 = mu (&lt;e, X&gt; + delta/2 ||X||^2)
 *       g1 = eta/2 ||Y - d||^2
 * </pre>
 * H is constant on the lower level's solution set (all minimizers share the balance residuals),
 * so it does not change the selection. The price of period t is {@code rho (served - dispatch)}.
 *
 * @param data the offers and loads
 * @param preference the upper level's policy
 * @param rho the balance weight
 * @param mu the weight of the upper level's policy term (scales all three preferences)
 * @param eta the weight of fair shedding
 * @param delta the small quadratic of the emissions preference
 * @param emissionRate the rate of each block, t/MWh
 * @param schedule the preferred schedule X_pref (blocks x T)
 * @param problem the bilevel problem
 */
public record MarketModel(MarketData data, Preference preference, double rho, double mu, double eta, double delta,
        double[] emissionRate, DMatrixRMaj schedule, BlockCompositeBilevelProblem problem) {

    /**
     * Weights of the model; NaN means the default.
     *
     * @param rho the balance weight; default {@code (highest offer price) / (1e-3 * peak load)}
     * @param mu default {@code (highest offer price) / (largest block)}: the upper and lower levels
     *     then have comparable scales
     * @param eta default: the curvature of the X term, mu (fair, schedule) or {@code mu * delta}
     *     (emissions), so that the upper level has one curvature on both blocks
     * @param delta default {@code 1e-2 / (largest block)}: {@code delta * capacity <= 0.01} t/MWh stays
     *     below every difference between the fuels' rates (at least 0.15), so the water-filling still
     *     orders tied blocks by their rates, and the upper level is not needlessly ill-conditioned
     */
    public record Weights(double rho, double mu, double eta, double delta) {
        /** @return all defaults */
        public static Weights defaults() {
            return new Weights(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * Builds the model with the pro-rata schedule as X_pref ({@code cap_b * D_t / total capacity})
     * and each block's fuel rate.
     *
     * @param data the market data
     * @param preference the policy preference of the upper level
     * @param w the weights of the upper level's terms
     * @return the model
     */
    public static MarketModel build(MarketData data, Preference preference, Weights w) {
        int nb = data.blocks();
        double[] e = new double[nb];
        for (int b = 0; b < nb; b++) {
            e[b] = data.offers().get(b).fuel().emissionRate();
        }
        return build(data, preference, w, e);
    }

    /**
     * Builds the model with the pro-rata schedule as X_pref and the given emission rate per block
     * (from {@link EmissionRates#blockRates}, say).
     *
     * @param data the market data
     * @param preference the policy preference of the upper level
     * @param w the weights of the upper level's terms
     * @param emissionRate the emission rate of each block
     * @return the model
     */
    public static MarketModel build(MarketData data, Preference preference, Weights w, double[] emissionRate) {
        int nb = data.blocks();
        int t = data.periods();
        DMatrixRMaj pref = new DMatrixRMaj(nb, t);
        double cap = data.totalCapacity();
        for (int b = 0; b < nb; b++) {
            for (int k = 0; k < t; k++) {
                pref.set(b, k, data.offers().get(b).capacity() * Math.min(1.0, data.totalDemand(k) / cap));
            }
        }
        return build(data, preference, w, emissionRate, pref);
    }

    /**
     * Builds the model with a given emission rate per block and preferred schedule.
     *
     * @param data the market data
     * @param preference the policy preference of the upper level
     * @param w the weights of the upper level's terms
     * @param emissionRate the emission rate of each block
     * @param schedule the preferred schedule X_pref
     * @return the model
     */
    public static MarketModel build(MarketData data, Preference preference, Weights w, double[] emissionRate,
            DMatrixRMaj schedule) {
        int nb = data.blocks();
        int nl = data.loads();
        int nt = data.periods();
        if (emissionRate.length != nb || schedule.numRows != nb || schedule.numCols != nt) {
            throw new IllegalArgumentException("emission rates need " + nb + " entries and the schedule " + nb + "x"
                    + nt);
        }
        double peak = 0;
        for (int k = 0; k < nt; k++) {
            peak = Math.max(peak, data.totalDemand(k));
        }
        double maxBlock = 0;
        for (Offer o : data.offers()) {
            maxBlock = Math.max(maxBlock, o.capacity());
        }
        double pmax = Math.max(data.highestPrice(), 1.0);
        double rho = Double.isNaN(w.rho()) ? pmax / (1e-3 * peak) : w.rho();
        double mu = Double.isNaN(w.mu()) ? pmax / maxBlock : w.mu();
        double delta = Double.isNaN(w.delta()) ? 1e-2 / maxBlock : w.delta();
        double eta = Double.isNaN(w.eta()) ? (preference == Preference.EMISSIONS ? mu * delta : mu) : w.eta();

        DMatrixRMaj zx = new DMatrixRMaj(nb, nt);
        DMatrixRMaj cap = new DMatrixRMaj(nb, nt);
        DMatrixRMaj price = new DMatrixRMaj(nb, nt);
        DMatrixRMaj ax = new DMatrixRMaj(nb, nt);
        DMatrixRMaj bx = new DMatrixRMaj(nb, nt);
        double cx = 0;
        for (int b = 0; b < nb; b++) {
            Offer o = data.offers().get(b);
            for (int k = 0; k < nt; k++) {
                cap.set(b, k, o.capacity());
                price.set(b, k, o.price());
                switch (preference) {
                    case FAIR -> ax.set(b, k, mu);
                    case SCHEDULE -> {
                        double p = schedule.get(b, k);
                        ax.set(b, k, mu);
                        bx.set(b, k, -mu * p);
                        cx += 0.5 * mu * p * p;
                    }
                    case EMISSIONS -> {
                        ax.set(b, k, mu * delta);
                        bx.set(b, k, mu * emissionRate[b]);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
        DMatrixRMaj zy = new DMatrixRMaj(nl, nt);
        DMatrixRMaj dem = new DMatrixRMaj(nl, nt);
        DMatrixRMaj vollb = new DMatrixRMaj(nl, nt);
        DMatrixRMaj ay = new DMatrixRMaj(nl, nt);
        DMatrixRMaj by = new DMatrixRMaj(nl, nt);
        double cvoll = 0;
        double cy = 0;
        for (int j = 0; j < nl; j++) {
            for (int k = 0; k < nt; k++) {
                double d = data.demand(j, k);
                dem.set(j, k, d);
                vollb.set(j, k, -data.voll()[j]);
                cvoll += data.voll()[j] * d;
                ay.set(j, k, eta);
                by.set(j, k, -eta * d);
                cy += 0.5 * eta * d * d;
            }
        }
        BoxedQuadratic f2 = new BoxedQuadratic(zx, price, 0.0, zx, cap);
        BoxedQuadratic g2 = new BoxedQuadratic(zy, vollb, cvoll, zy, dem);
        BoxedQuadratic f1 = new BoxedQuadratic(ax, bx, cx, zx, cap);
        BoxedQuadratic g1 = new BoxedQuadratic(ay, by, cy, zy, dem);
        BlockCompositeBilevelProblem problem = BlockCompositeBilevelProblem.builder(
                new BalanceCoupling(nb, nl, nt, rho)).upper(f1, g1).lower(f2, g2).build();
        return new MarketModel(data, preference, rho, mu, eta, delta, emissionRate.clone(), schedule.copy(), problem);
    }

    /** @return the coupling */
    public BalanceCoupling coupling() {
        return (BalanceCoupling) problem.coupling();
    }

    /**
     * The cost scale for relative gaps: {@code (highest offer price) * (total demand over all
     * periods)}, the cost of serving all energy at the dearest offer.
     *
     * @return the cost scale
     */
    public double costScale() {
        double s = 0;
        for (int k = 0; k < data.periods(); k++) {
            s += data.totalDemand(k);
        }
        return Math.max(data.highestPrice(), 1.0) * s;
    }
}
