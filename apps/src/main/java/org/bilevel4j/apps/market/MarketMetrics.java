package org.bilevel4j.apps.market;

import org.ejml.data.DMatrixRMaj;

/**
 * What a dispatch (X, Y) of the market model achieves, against the reference.
 *
 * @param lowerGap {@code (Psi2(X, Y) - Psi2*) / costScale}
 * @param upperValue {@code Psi1(X, Y)}
 * @param distance {@code ||X - X_ref||_F / ||X_ref||_F}, the distance to the reference relative to
 *     the dispatch
 * @param maxResidual {@code max_t |sum X_t - sum Y_t|}, MW
 * @param residuals the balance residual of each period, MW
 * @param prices {@code rho (served - dispatch)} of each period, $/MWh
 * @param cost the offer cost {@code sum p_b X_bt}, $
 * @param emissions {@code sum e_b X_bt}, t
 * @param unserved {@code sum (d - Y)}, MWh
 */
public record MarketMetrics(double lowerGap, double upperValue, double distance, double maxResidual,
        double[] residuals, double[] prices, double cost, double emissions, double unserved) {

    /**
     * Evaluates (x, y) in the model against the reference.
     *
     * @param m the market model
     * @param ref the exact reference solution
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the metrics
     */
    public static MarketMetrics of(MarketModel m, MarketReference.Solution ref, DMatrixRMaj x, DMatrixRMaj y) {
        double psi2 = m.problem().lowerValue(x, y);
        double psi1 = m.problem().upperValue(x, y);
        double[] r = m.coupling().residuals(x, y);
        double[] prices = new double[r.length];
        double maxR = 0;
        for (int t = 0; t < r.length; t++) {
            prices[t] = -m.rho() * r[t];
            maxR = Math.max(maxR, Math.abs(r[t]));
        }
        double d2 = 0;
        double n2 = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            d2 += Math.pow(x.data[i] - ref.x().data[i], 2);
            n2 += ref.x().data[i] * ref.x().data[i];
        }
        double cost = 0;
        double em = 0;
        MarketData data = m.data();
        for (int b = 0; b < data.blocks(); b++) {
            for (int t = 0; t < data.periods(); t++) {
                cost += data.offers().get(b).price() * x.get(b, t);
                em += m.emissionRate()[b] * x.get(b, t);
            }
        }
        double unserved = 0;
        for (int j = 0; j < data.loads(); j++) {
            for (int t = 0; t < data.periods(); t++) {
                unserved += data.demand(j, t) - y.get(j, t);
            }
        }
        return new MarketMetrics((psi2 - ref.psi2()) / m.costScale(), psi1, Math.sqrt(d2 / Math.max(n2, 1e-300)), maxR,
                r, prices, cost, em, unserved);
    }
}
