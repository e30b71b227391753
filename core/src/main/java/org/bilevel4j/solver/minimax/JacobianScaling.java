package org.bilevel4j.solver.minimax;

/**
 * Per-coordinate scales of a saddle operator from a forward-difference estimate of its Jacobian J
 * at a point: {@code r_i = max(sum_j |J_ij|, sum_j |J_ji|)} over all of w, and the same over the u
 * block only, {@code q_i} (i in u), which bounds the weak convexity of phi in u by Gershgorin's theorem.
 * One column costs one operator evaluation; the whole estimate n + 1. Exact (up to rounding) for
 * quadratic problems.
 *
 * <p>With {@code D = diag(r)}, the Schur test with weights {@code sqrt(r)} gives
 * {@code ||D^{-1/2} J D^{-1/2}||_2 <= 1}, so the steps {@code tau_i = 1 / (2 r_i)} make the operator
 * 1/2-Lipschitz in the metric of {@code diag(tau)}.
 */
final class JacobianScaling {

    private static final double RELATIVE_STEP = 1e-6;

    final int n;
    final int nu;
    /** Absolute row/column sums over all of w. */
    final double[] all;
    /** Absolute row/column sums over the u block (length nu). */
    final double[] uu;
    private final double[] colSumAll;
    private final double[] colSumUu;
    private final double[] f0;
    private final double[] f1;
    private final double[] wt;

    JacobianScaling(int n, int nu) {
        this.n = n;
        this.nu = nu;
        all = new double[n];
        uu = new double[nu];
        colSumAll = new double[n];
        colSumUu = new double[nu];
        f0 = new double[n];
        f1 = new double[n];
        wt = new double[n];
    }

    /**
     * Estimates the sums at w (inside [lo, hi]); differences step into the box.
     *
     * @return the number of operator evaluations spent
     */
    int estimate(SaddleOperator f, double[] w, double[] lo, double[] hi) {
        java.util.Arrays.fill(all, 0);
        java.util.Arrays.fill(uu, 0);
        java.util.Arrays.fill(colSumAll, 0);
        java.util.Arrays.fill(colSumUu, 0);
        f.apply(w, f0);
        int calls = 1;
        System.arraycopy(w, 0, wt, 0, n);
        for (int j = 0; j < n; j++) {
            double width = hi[j] - lo[j];
            if (width <= 0) {
                continue; // a fixed coordinate: its column never acts
            }
            double h = RELATIVE_STEP * Math.max(1.0, Math.abs(w[j]));
            h = Math.min(h, 0.5 * width);
            if (w[j] + h > hi[j]) {
                h = -h;
            }
            wt[j] = w[j] + h;
            f.apply(wt, f1);
            calls++;
            wt[j] = w[j];
            for (int i = 0; i < n; i++) {
                double a = Math.abs((f1[i] - f0[i]) / h);
                all[i] += a;
                colSumAll[j] += a;
                if (i < nu && j < nu) {
                    uu[i] += a;
                    colSumUu[j] += a;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            all[i] = Math.max(all[i], colSumAll[i]);
        }
        for (int i = 0; i < nu; i++) {
            uu[i] = Math.max(uu[i], colSumUu[i]);
        }
        return calls;
    }

    /**
     * Sets {@code tau_i = scale / (2 (all_i + shift_i))}; a coordinate on which nothing depends gets
     * the step of the stiffest one. Modified: tau.
     */
    static void steps(double[] all, double[] shift, double scale, double[] tau) {
        double max = 0;
        for (int i = 0; i < tau.length; i++) {
            max = Math.max(max, all[i] + shift[i]);
        }
        double floor = max > 0 ? 1e-12 * max : 1.0;
        for (int i = 0; i < tau.length; i++) {
            double d = all[i] + shift[i];
            tau[i] = scale / (2 * (d > floor ? d : (max > 0 ? max : 1.0)));
        }
    }
}
