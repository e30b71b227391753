package org.bilevel4j.solver.minimax;

import java.util.Objects;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.SaddlePoint;
import org.bilevel4j.problem.SaddleProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * First-order solver for {@code min_{u in U} max_{v in V} phi(u, v)} over boxes ({@link SaddleProblem}),
 * in one of two modes.
 *
 * <p>{@link Mode#EXTRAGRADIENT}, for phi strongly convex in u and strongly concave in v: projected
 * extragradient (Korpelevich) with per-coordinate steps,
 * <pre>
 *   wbar = Pi(w - T F(w)),   w+ = Pi(w - T F(wbar)),   F = (grad_u phi, -grad_v phi),
 *   T = diag(tau),   tau_i = 1 / (2 sum_j |J_ij|),
 * </pre>
 * J the Jacobian of F (forward differences at the start, exact for quadratics; a step that violates
 * the local Lipschitz test halves every tau). The residual {@code ||(w - wbar) / tau||} is the
 * projected-gradient residual of F at w; it converges at a linear rate, and the run stops with
 * {@code CONVERGED} when it is at most the tolerance. One iteration is one extragradient step.
 *
 * <p>{@link Mode#PROXIMAL_POINT}, for phi nonconvex in u and concave in v: the inexact proximal-point
 * loop around equation (40) of [1]: outer step k solves the strongly-convex-strongly-concave
 * subproblem {@code h_k(u, v) = phi(u, v) - eps ||v - v0||^2 / (4 D_v) + sum_i L_i (u_i - u_k,i)^2} by
 * the extragradient above to the residual {@code eps / (k + 1)}; it stops with {@code CONVERGED} when
 * {@code ||L o (u_{k+1} - u_k)|| <= eps / 4}. The weights L_i are the absolute row sums of
 * {@code grad_uu phi} (Gershgorin), a per-coordinate version of the Lipschitz constant L of [1]. One
 * iteration is one outer step. The tolerance is eps.
 *
 * <p>Why per-coordinate steps: one global step {@code 1 / (2 L_h)} is set by the stiffest coordinate;
 * when the scales differ by a factor rho (as in a penalty function), every other coordinate crawls;
 * an independent run on the first bilevel test problem measured gradient calls growing about as
 * rho^2.5 that way.
 *
 * <p>Trace columns: {@code inner} (extragradient iterations in this iteration), {@code value}
 * (phi), {@code res_u}, {@code res_v} (projected-gradient residuals of phi's operator in u and v),
 * {@code step} ({@code ||L o (u_{k+1} - u_k)||}, 0 in extragradient mode), {@code grad_calls}
 * (cumulative evaluations of (grad_u phi, grad_v phi), finite differences included).
 *
 * <p>[1] Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel Optimization with
 * Minimax and Constrained Lower-Level Problems", arXiv:2605.08006, 2026. [2] G. M. Korpelevich, "The
 * extragradient method for finding saddle points and other problems", Matecon 12, 1976.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class MinimaxSolver implements IterativeSolver<SaddleProblem, SaddlePoint, MinimaxState> {

    /** The problem class the solver assumes. */
    public enum Mode {
        /** Strongly convex in u, strongly concave in v: extragradient with a residual stop. */
        EXTRAGRADIENT,
        /** Nonconvex in u, concave in v: the inexact proximal-point loop. */
        PROXIMAL_POINT
    }

    private final Mode mode;
    private final double tolerance;
    private final double stepScale;
    private final int maxInnerIterations;
    private final int jacobianRefresh;

    private MinimaxSolver(Builder b) {
        this.mode = Objects.requireNonNull(b.mode, "mode");
        if (!(b.tolerance > 0) || Double.isInfinite(b.tolerance)) {
            throw new IllegalArgumentException("tolerance (eps) must be positive and finite, got " + b.tolerance);
        }
        if (!(b.stepScale > 0 && b.stepScale <= 1)) {
            throw new IllegalArgumentException("stepScale must be in (0, 1], got " + b.stepScale);
        }
        if (b.maxInnerIterations < 1) {
            throw new IllegalArgumentException("maxInnerIterations must be at least 1, got " + b.maxInnerIterations);
        }
        if (b.jacobianRefresh < 0) {
            throw new IllegalArgumentException("jacobianRefresh must be nonnegative, got " + b.jacobianRefresh);
        }
        this.tolerance = b.tolerance;
        this.stepScale = b.stepScale;
        this.maxInnerIterations = b.maxInnerIterations;
        this.jacobianRefresh = b.jacobianRefresh;
    }

    /** @return a builder (defaults: proximal point, tolerance 1e-6, step scale 1, 100000 inner, refresh 25) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param tolerance the residual tolerance, positive
     * @return extragradient for strongly-convex-strongly-concave problems, stopping at this residual
     */
    public static MinimaxSolver extragradient(double tolerance) {
        return builder().mode(Mode.EXTRAGRADIENT).tolerance(tolerance).build();
    }

    /**
     * @param eps the eps of the proximal-point loop, positive
     * @return the proximal-point loop for nonconvex-concave problems with this eps
     */
    public static MinimaxSolver proximalPoint(double eps) {
        return builder().mode(Mode.PROXIMAL_POINT).tolerance(eps).build();
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    /** @return the residual tolerance (extragradient) or eps (proximal point) */
    public double tolerance() {
        return tolerance;
    }

    @Override
    public String name() {
        return mode == Mode.EXTRAGRADIENT ? "extragradient" : "proximal-point extragradient";
    }

    @Override
    public MinimaxState init(SaddleProblem problem, SaddlePoint start, SolverOptions options) {
        Objects.requireNonNull(problem, "problem");
        Box ud = problem.uDomain();
        Box vd = problem.vDomain();
        if (start.u().getNumElements() != ud.dimension() || start.v().getNumElements() != vd.dimension()) {
            throw new IllegalArgumentException("start has " + start.u().getNumElements() + " + "
                    + start.v().getNumElements() + " entries, the problem " + ud.dimension() + " + " + vd.dimension());
        }
        for (double x : start.u().data) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("start point has non-finite entries");
            }
        }
        for (double x : start.v().data) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("start point has non-finite entries");
            }
        }
        Box w = Box.concat(ud, vd);
        double[] w0 = new double[w.dimension()];
        System.arraycopy(start.u().data, 0, w0, 0, ud.dimension());
        System.arraycopy(start.v().data, 0, w0, ud.dimension(), vd.dimension());
        w.project(w0, 0, w0, 0);
        ProblemOperator op = new ProblemOperator(problem);
        ProximalPoint pp = new ProximalPoint(w.lowerBounds(), w.upperBounds(), ud.dimension(), vd.diameter(),
                stepScale, maxInnerIterations, jacobianRefresh);
        return new MinimaxState(op, pp, w0, mode == Mode.EXTRAGRADIENT, tolerance, stepScale, jacobianRefresh);
    }

    @Override
    public void step(SaddleProblem problem, MinimaxState state) {
        state.step();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private Mode mode = Mode.PROXIMAL_POINT;
        private double tolerance = 1e-6;
        private double stepScale = 1.0;
        private int maxInnerIterations = 100_000;
        private int jacobianRefresh = 25;

        private Builder() {
        }

        /**
         * Sets the mode (default proximal point).
         *
         * @param m the mode
         * @return this builder
         */
        public Builder mode(Mode m) {
            mode = m;
            return this;
        }

        /**
         * Sets the residual tolerance (extragradient) or eps (proximal point), positive (default 1e-6).
         *
         * @param t the tolerance or eps
         * @return this builder
         */
        public Builder tolerance(double t) {
            tolerance = t;
            return this;
        }

        /**
         * Multiplies every step {@code 1 / (2 r_i)}; in (0, 1] (default 1).
         *
         * @param s the scale
         * @return this builder
         */
        public Builder stepScale(double s) {
            stepScale = s;
            return this;
        }

        /**
         * Caps the extragradient iterations of one proximal step (default 100000).
         *
         * @param n the cap
         * @return this builder
         */
        public Builder maxInnerIterations(int n) {
            maxInnerIterations = n;
            return this;
        }

        /**
         * Re-estimates the Jacobian sums every this many iterations; 0 only at the start (default 25).
         *
         * @param n the refresh period
         * @return this builder
         */
        public Builder jacobianRefresh(int n) {
            jacobianRefresh = n;
            return this;
        }

        /**
         * Builds the solver.
         *
         * @return the MinimaxSolver
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public MinimaxSolver build() {
            return new MinimaxSolver(this);
        }
    }
}
