package org.bilevel4j.solver.minimax;

/**
 * The inexact proximal-point loop for a nonconvex-concave {@code min_u max_v phi(u, v)} (reconstructed
 * around equation (40) of [1], in the manner of Lu and Mei [2]). Outer step k from {@code (u_k, v)}
 * solves the strongly-convex-strongly-concave subproblem
 * <pre>
 *   h_k(u, v) = phi(u, v) - eps ||v - v0||^2 / (4 D_v) + sum_i L_i (u_i - u_k,i)^2
 * </pre>
 * with {@link Extragradient} to the residual {@code eps_k = eps / (k + 1)}, warm-started at the current
 * point; {@code D_v} is the diameter of V and {@code v0} the v at the start of the loop. The weights
 * {@code L_i} are a diagonal version of the Lipschitz constant L of the method: the absolute row sums
 * of {@code grad_uu phi} ({@link JacobianScaling#uu}), so that {@code grad_uu phi + 2 diag(L)} is
 * diagonally dominant and h_k strongly convex in u. The loop stops when
 * <pre>
 *   || L o (u_{k+1} - u_k) ||_2 <= eps / 4,
 * </pre>
 * the diagonal form of {@code ||u_{k+1} - u_k|| <= eps / (4 L)}: the prox term's gradient, which is
 * what keeps {@code grad_u phi} from vanishing, is then below eps / 2.
 *
 * <p>[1] Shen, He, Wang, Lin, arXiv:2605.08006, 2026. [2] Z. Lu, S. Mei, "First-order penalty methods
 * for bilevel optimization", SIAM J. Optim., 2024.
 */
final class ProximalPoint {

    final Extragradient eg;
    final JacobianScaling scaling;
    final int n;
    final int nu;
    final double[] weights;
    private final double[] uk;
    private final double[] v0;
    private final double vDiameter;
    private final double stepScale;
    private final int maxInner;
    private final int refreshEvery;
    double eps;
    int k;
    int lastInner;
    long innerTotal;
    double stepNorm;
    boolean stopped;
    private boolean gValid;
    private int sinceRefresh;

    ProximalPoint(double[] lo, double[] hi, int nu, double vDiameter, double stepScale, int maxInner,
            int refreshEvery) {
        this.n = lo.length;
        this.nu = nu;
        this.eg = new Extragradient(lo, hi, nu);
        this.scaling = new JacobianScaling(n, nu);
        this.weights = new double[nu];
        this.uk = new double[nu];
        this.v0 = new double[n - nu];
        this.vDiameter = vDiameter;
        this.stepScale = stepScale;
        this.maxInner = maxInner;
        this.refreshEvery = refreshEvery;
    }

    /** Starts a loop at w with tolerance eps: estimates the scales, sets v0 and k = 0. */
    void start(SaddleOperator f, double[] w, double epsilon) {
        this.eps = epsilon;
        this.k = 0;
        this.stopped = false;
        System.arraycopy(w, nu, v0, 0, n - nu);
        refresh(f, w);
    }

    /** Re-estimates the Jacobian sums at w and derives the weights, shifts and steps. */
    void refresh(SaddleOperator f, double[] w) {
        eg.calls += scaling.estimate(f, w, eg.lo, eg.hi);
        double vReg = vDiameter > 0 ? eps / (2 * vDiameter) : 0.0;
        for (int i = 0; i < n; i++) {
            if (i < nu) {
                weights[i] = scaling.uu[i];
                eg.shift[i] = 2 * weights[i];
            } else {
                eg.shift[i] = vReg;
                eg.center[i] = v0[i - nu];
            }
        }
        JacobianScaling.steps(scaling.all, eg.shift, stepScale, eg.tau);
        gValid = false;
        sinceRefresh = 0;
    }

    /** Marks the cached operator value stale (after the caller changed w). */
    void invalidate() {
        gValid = false;
    }

    /** One outer step: solve h_k from w (modified) and test the stop rule. */
    void step(SaddleOperator f, double[] w) {
        if (refreshEvery > 0 && sinceRefresh >= refreshEvery) {
            refresh(f, w);
        }
        for (int i = 0; i < nu; i++) {
            if (gValid) {
                eg.g[i] -= eg.shift[i] * (w[i] - eg.center[i]); // the u center moves to w: its term vanishes
            }
            uk[i] = w[i];
            eg.center[i] = w[i];
        }
        double tol = eps / (k + 1);
        lastInner = eg.run(f, w, tol, maxInner, gValid);
        gValid = true;
        innerTotal += lastInner;
        double s = 0;
        for (int i = 0; i < nu; i++) {
            double d = weights[i] * (w[i] - uk[i]);
            s += d * d;
        }
        stepNorm = Math.sqrt(s);
        k++;
        sinceRefresh++;
        stopped = stepNorm <= eps / 4;
    }
}
