package org.bilevel4j.solver.meha;

import java.util.List;
import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * MEHA, the Moreau-envelope single-loop Hessian-free method for general bilevel problems
 * ({@link BilevelProblem}): minimize F(x, y) over the minimizers in y of
 * {@code phi(x, y) = f(x, y) + g(x, y)}.
 *
 * <p>With the Moreau envelope {@code v_gamma(x, y) = min_theta phi(x, theta) + ||theta - y||^2/(2 gamma)},
 * MEHA minimizes the penalized surrogate {@code w_k F + phi - v_gamma}, tracking the proximal point
 * theta with one proximal-gradient step per iteration. With {@code c_k = c0 (k + 1)^p}
 * (k = 0 first) and {@code w_k = 1/c_k} ({@link MehaOptions.UpperWeight#INVERSE}, the paper) or
 * {@code w_k = c_k} ({@link MehaOptions.UpperWeight#DIRECT}, the authors' scripts), one iteration
 * in the paper's order ({@link MehaOptions.UpdateOrder#X_FIRST}) is:
 * <ol>
 *   <li>{@code theta+ = prox_{eta g(x,.) + ind_Y}(theta - eta [grad_y f(x, theta) + (theta - y)/gamma])}</li>
 *   <li>{@code d_x = w_k grad_x F(x, y) + grad_x phi(x, y) - grad_x phi(x, theta+)},
 *       {@code x+ = proj_X(x - alpha d_x)}</li>
 *   <li>{@code d_y = w_k grad_y F(x+, y) + grad_y f(x+, y) - (y - theta+)/gamma},
 *       {@code y+ = prox_{beta g(x+,.) + ind_Y}(y - beta d_y)}</li>
 * </ol>
 * {@link MehaOptions.UpdateOrder#Y_FIRST} does step 3 at (x, y, theta+) before step 2 at
 * (x, y+, theta+). The nonsmooth part g enters through {@link BilevelProblem#lowerProx} in both the
 * theta and the y step, and through {@code grad_x g} in {@code grad_x phi}. Only gradients and prox
 * maps: no Hessians, no inner loops.
 *
 * <p>In the paper's order, {@code grad_y f(x+, theta+)} (the next iteration's theta-step gradient)
 * is requested together with {@code grad_y f(x+, y)} through
 * {@link BilevelProblem#lowerSmoothGradientsY}, so that a problem made of matrix products can do
 * both in one pass over its data. With that gradient in hand, the next iteration's theta step
 * (step 1, which needs only x+, y+, theta+ and that gradient) is taken at the end of the
 * iteration, and the lower level's evaluations at y+ and at the next theta are announced together
 * ({@link BilevelProblem#prefetchLower}), so that such a problem computes both forward products
 * in one pass too. The values are those of the plain iteration, bit for bit.
 *
 * <p>Trace columns: {@code F, phi} at the current (x, y); {@code gap}, the estimate
 * {@code phi(x, y) - [phi(x, theta) + ||theta - y||^2/(2 gamma)]} (a diagnostic: it can go negative
 * when theta lags); {@code theta_y_dist = ||theta - y||}; {@code dx_norm = ||d_x||};
 * {@code c_k} of the iteration; and {@code x_rel_err, y_rel_err} when the problem has a reference
 * solution (never used to steer).
 *
 * <p>Reference: [1] R. Liu, Z. Liu, W. Yao, S. Zeng, J. Zhang, "Moreau Envelope for Nonconvex
 * Bi-Level Optimization: A Single-loop and Hessian-free Solution Strategy", ICML 2024,
 * arXiv:2405.09927.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class Meha implements IterativeSolver<BilevelProblem, PairIterate, MehaState> {

    private final MehaOptions options;

    /** @param options the configuration */
    public Meha(MehaOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** @return the configuration */
    public MehaOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "MEHA";
    }

    @Override
    public MehaState init(BilevelProblem problem, PairIterate start, SolverOptions solverOptions) {
        return new MehaState(problem, start, options);
    }

    @Override
    public void step(BilevelProblem problem, MehaState s) {
        MehaOptions o = options;
        int k = s.iteration;
        double w = o.upperWeightAt(k);
        s.penalty = o.penalty(k);

        // 1. theta+ (taken ahead at the end of the previous iteration when it could be)
        if (!s.thetaNewValid) {
            thetaStep(problem, s);
        }
        s.thetaNewValid = false;

        if (o.order() == MehaOptions.UpdateOrder.X_FIRST) {
            xStep(problem, s, w, s.y);
            yStep(problem, s, w, s.xNew, true);
        } else {
            yStep(problem, s, w, s.x, false);
            xStep(problem, s, w, s.yNew);
        }
        s.swapIn();
        s.iteration = k + 1;
        if (s.gradThetaValid) {
            // the next theta step needs only what is known now: take it, and let the problem
            // evaluate the lower level at y+ and at the next theta together
            thetaStep(problem, s);
            s.thetaNewValid = true;
            problem.prefetchLower(s.x, List.of(s.y, s.thetaNew));
        }
        s.evaluate();
    }

    /**
     * Step 1 at the current (x, y, theta) into thetaNew:
     * {@code theta+ = prox_{eta g(x,.) + ind_Y}(theta - eta [grad_y f(x, theta) + (theta - y)/gamma])}.
     */
    private void thetaStep(BilevelProblem problem, MehaState s) {
        MehaOptions o = options;
        double invGamma = 1.0 / o.gamma();
        if (!s.gradThetaValid) {
            problem.lowerSmoothGradientY(s.x, s.theta, s.gradTheta);
        }
        s.gradThetaValid = false;
        double[] th = s.theta.data;
        double[] yy = s.y.data;
        double[] gt = s.gradTheta.data;
        double[] v = s.vy.data;
        for (int i = 0; i < v.length; i++) {
            v[i] = th[i] - o.eta() * (gt[i] + (th[i] - yy[i]) * invGamma);
        }
        problem.lowerProx(s.x, s.vy, o.eta(), s.thetaNew);
    }

    /**
     * {@code d_x = w grad_x F(x, yAt) + grad_x phi(x, yAt) - grad_x phi(x, theta+)},
     * {@code x+ = proj_X(x - alpha d_x)}.
     */
    private void xStep(BilevelProblem problem, MehaState s, double w, DMatrixRMaj yAt) {
        problem.upperGradientX(s.x, yAt, s.gx);
        MatOps.combine(w, s.gx, 0.0, s.gx, s.dx);
        addGradientX(problem, s, yAt, 1.0);
        addGradientX(problem, s, s.thetaNew, -1.0);
        s.dxNorm = Math.sqrt(MatOps.normSq(s.dx));
        MatOps.combine(1.0, s.x, -options.alpha(), s.dx, s.xNew);
        problem.projectX(s.xNew, s.xNew);
    }

    /** {@code dx += sign grad_x phi(x, at)}. */
    private static void addGradientX(BilevelProblem problem, MehaState s, DMatrixRMaj at, double sign) {
        problem.lowerSmoothGradientX(s.x, at, s.gx);
        MatOps.combine(1.0, s.dx, sign, s.gx, s.dx);
        if (problem.hasNonsmoothLower()) {
            problem.lowerNonsmoothGradientX(s.x, at, s.gx);
            MatOps.combine(1.0, s.dx, sign, s.gx, s.dx);
        }
    }

    /**
     * {@code d_y = w grad_y F(xAt, y) + grad_y f(xAt, y) - (y - theta+)/gamma},
     * {@code y+ = prox_{beta g(xAt,.) + ind_Y}(y - beta d_y)}. With {@code prefetch}, xAt is the
     * next iteration's x and theta+ its theta, so their theta-step gradient is fetched along.
     */
    private void yStep(BilevelProblem problem, MehaState s, double w, DMatrixRMaj xAt, boolean prefetch) {
        MehaOptions o = options;
        // vy = grad_y f(xAt, y) (and gradTheta = grad_y f(xAt, theta+) for the next iteration)
        if (prefetch) {
            problem.lowerSmoothGradientsY(List.of(xAt, xAt), List.of(s.y, s.thetaNew),
                    List.of(s.vy, s.gradTheta));
            s.gradThetaValid = true;
        } else {
            problem.lowerSmoothGradientY(xAt, s.y, s.vy);
        }
        problem.upperGradientY(xAt, s.y, s.gy);
        double invGamma = 1.0 / o.gamma();
        double[] g = s.gy.data;
        double[] gf = s.vy.data;
        double[] yy = s.y.data;
        double[] tn = s.thetaNew.data;
        double[] out = s.yNew.data;
        for (int i = 0; i < out.length; i++) {
            double dy = w * g[i] + gf[i] - (yy[i] - tn[i]) * invGamma;
            out[i] = yy[i] - o.beta() * dy;
        }
        problem.lowerProx(xAt, s.yNew, o.beta(), s.yNew);
    }
}
