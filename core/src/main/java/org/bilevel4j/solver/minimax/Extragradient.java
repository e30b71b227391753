package org.bilevel4j.solver.minimax;

import java.util.Arrays;

/**
 * Projected extragradient with per-coordinate steps on a box, for the shifted operator
 * <pre>
 *   G(w) = F(w) + s o (w - c)          (s >= 0 elementwise, c a center)
 * </pre>
 * which is the operator of {@code phi(u, v) + sum_{i in u} s_i/2 (u_i - c_i)^2 - sum_{i in v} s_i/2
 * (v_i - c_i)^2}. One iteration with the diagonal step matrix {@code T = diag(tau)}:
 * <pre>
 *   wbar = Pi(w - T G(w)),   w+ = Pi(w - T G(wbar)).
 * </pre>
 * For a box, {@code Pi} in the metric of T is the plain clipping, so T changes the speed but not the
 * fixed points. The steps come from {@link JacobianScaling}: {@code tau_i = 1 / (2 r_i)} with
 * {@code r_i} the absolute row sums of G's Jacobian, which bounds the operator's Lipschitz constant
 * in the metric of T by 1/2 (Schur test); a step is also checked against
 * {@code sum_i tau_i (G_i(wbar) - G_i(w))^2 <= theta^2 sum_i (wbar_i - w_i)^2 / tau_i} (theta = 0.9)
 * and every tau halved when that fails (the Jacobian estimate was local).
 *
 * <p>The stopping quantity is the projected-gradient residual at w,
 * {@code R(w) = (w - Pi(w - T G(w))) / tau}, in units of the gradient; for a strongly monotone G it
 * decreases at a linear rate, so that reaching a tolerance eps takes O(log(1/eps)) iterations.
 */
final class Extragradient {

    private static final double THETA = 0.9;
    private static final int MAX_HALVINGS = 60;

    final int n;
    final int nu;
    final double[] lo;
    final double[] hi;
    final double[] tau;
    final double[] shift;
    final double[] center;
    /** G(w) at the current w after {@link #run}. */
    final double[] g;
    private final double[] wbar;
    private final double[] gbar;
    long calls;
    long backtracks;
    double residualU;
    double residualV;
    boolean reached;

    Extragradient(double[] lo, double[] hi, int nu) {
        this.n = lo.length;
        this.nu = nu;
        this.lo = lo.clone();
        this.hi = hi.clone();
        tau = new double[n];
        Arrays.fill(tau, 1.0);
        shift = new double[n];
        center = new double[n];
        g = new double[n];
        wbar = new double[n];
        gbar = new double[n];
    }

    void evaluate(SaddleOperator f, double[] w, double[] out) {
        f.apply(w, out);
        calls++;
        for (int i = 0; i < n; i++) {
            out[i] += shift[i] * (w[i] - center[i]);
        }
    }

    /**
     * Runs extragradient from w until the residual at w is at most tol or maxIter iterations are done.
     * On return w is the last iterate, {@link #g} holds G(w) and the residuals are those at w.
     * Modified: w.
     *
     * @param gValid whether {@link #g} already holds G(w)
     * @return the number of iterations (two operator evaluations each)
     */
    int run(SaddleOperator f, double[] w, double tol, int maxIter, boolean gValid) {
        if (!gValid) {
            evaluate(f, w, g);
        }
        int it = 0;
        int halvings = 0;
        while (true) {
            double ru = 0;
            double rv = 0;
            for (int i = 0; i < n; i++) {
                double t = tau[i];
                double x = w[i] - t * g[i];
                x = x < lo[i] ? lo[i] : (x > hi[i] ? hi[i] : x);
                wbar[i] = x;
                double d = (w[i] - x) / t;
                if (i < nu) {
                    ru += d * d;
                } else {
                    rv += d * d;
                }
            }
            residualU = Math.sqrt(ru);
            residualV = Math.sqrt(rv);
            reached = Math.sqrt(ru + rv) <= tol;
            if (reached || it >= maxIter) {
                return it;
            }
            evaluate(f, wbar, gbar);
            double lhs = 0;
            double rhs = 0;
            for (int i = 0; i < n; i++) {
                double dg = gbar[i] - g[i];
                double dw = wbar[i] - w[i];
                lhs += tau[i] * dg * dg;
                rhs += dw * dw / tau[i];
            }
            if (lhs > THETA * THETA * rhs && halvings < MAX_HALVINGS) {
                for (int i = 0; i < n; i++) {
                    tau[i] *= 0.5;
                }
                halvings++;
                backtracks++;
                continue;
            }
            for (int i = 0; i < n; i++) {
                double x = w[i] - tau[i] * gbar[i];
                w[i] = x < lo[i] ? lo[i] : (x > hi[i] ? hi[i] : x);
            }
            it++;
            evaluate(f, w, g);
        }
    }

    /**
     * Residuals of the unshifted operator F at w from {@link #g} (which holds G(w)):
     * {@code ||(w - Pi(w - T F(w))) / tau||} over u and over v. Modified: out[0], out[1].
     */
    void baseResiduals(double[] w, double[] out) {
        double ru = 0;
        double rv = 0;
        for (int i = 0; i < n; i++) {
            double fi = g[i] - shift[i] * (w[i] - center[i]);
            double t = tau[i];
            double x = w[i] - t * fi;
            x = x < lo[i] ? lo[i] : (x > hi[i] ? hi[i] : x);
            double d = (w[i] - x) / t;
            if (i < nu) {
                ru += d * d;
            } else {
                rv += d * d;
            }
        }
        out[0] = Math.sqrt(ru);
        out[1] = Math.sqrt(rv);
    }
}
