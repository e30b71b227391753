package org.bilevel4j.solver.minimax;

import java.util.Objects;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * The penalty method for bilevel minimax problems [1]: solve
 * <pre>
 *   min_{u = (x1, y1, y2)} max_{v = (x2, z1, z2)}  P_rho = f(x1, x2, y1, y2) + rho (ft(x1, y1, z2) - ft(x1, z1, y2))
 * </pre>
 * (see {@link MinimaxPenalty}) to an eps-KKT point with {@code eps = c / rho}, by the inexact
 * proximal-point loop of {@link MinimaxSolver} (mode {@code PROXIMAL_POINT}: strongly-convex-strongly-
 * concave subproblems {@code h_k} solved by per-coordinate projected extragradient to
 * {@code eps / (k + 1)}, stop when {@code ||L o (u_{k+1} - u_k)|| <= eps / 4}). The paper's claim is an
 * eps-KKT point in O~(eps^-4) gradient calls; the distance of the penalty solution to the bilevel
 * solution is O(1/rho) on problems like those of the method page.
 *
 * <p>Continuation (default on): rho runs through {@code 10, 20, 40, ...} (start and growth
 * configurable), capped at the target, each level warm-started at the previous one's point with
 * {@code eps = c / rho}; a level ends when the proximal-point stop rule holds, the run when it holds at
 * the target rho ({@code CONVERGED}). On the first test problem (T1 of docs/minimax.md) this cuts
 * the gradient calls at rho = 1000 from 1.93 million to 158 thousand. With {@code c = 1} the stop rule adds an error of about
 * {@code eps / (2 curvature)} on top of the penalty bias; the default {@code c = 0.5} leaves a margin.
 *
 * <p>Trace columns: {@code level} (0-based continuation level), {@code rho}, {@code eps},
 * {@code outer} (proximal steps in this level), {@code inner} (extragradient iterations of this step),
 * {@code inner_total}, {@code upper} (f at the iterate), {@code gap} (lower-level gap
 * {@code ft(x1, y1, z2) - ft(x1, z1, y2)}), {@code res_u}, {@code res_v} (projected-gradient residuals
 * of P_rho in u and v), {@code step} ({@code ||L o (u_{k+1} - u_k)||}), {@code grad_calls} (cumulative
 * evaluations of grad P_rho, each one upper and two lower gradients; finite-difference Jacobian
 * estimates included). One solver iteration is one proximal step; size maxIterations for the sum over
 * all levels.
 *
 * <p>[1] Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel Optimization with
 * Minimax and Constrained Lower-Level Problems", arXiv:2605.08006, 2026. [2] Z. Lu, S. Mei,
 * "First-order penalty methods for bilevel optimization", SIAM J. Optim., 2024.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class PenaltyMinimax
        implements IterativeSolver<MinimaxBilevelProblem, MinimaxBilevelPoint, PenaltyMinimaxState> {

    /** The default c in eps = c / rho. */
    public static final double DEFAULT_EPS_CONSTANT = 0.5;

    private final double rho;
    private final double epsConstant;
    private final boolean continuation;
    private final double startRho;
    private final double growth;
    private final double stepScale;
    private final int maxInnerIterations;
    private final int jacobianRefresh;

    private PenaltyMinimax(Builder b) {
        checkRho(b.rho);
        this.rho = b.rho;
        if (b.epsSet) {
            if (!(b.eps > 0) || Double.isInfinite(b.eps)) {
                throw new IllegalArgumentException("eps must be positive and finite, got " + b.eps);
            }
            this.epsConstant = b.eps * b.rho;
        } else {
            if (!(b.epsConstant > 0) || Double.isInfinite(b.epsConstant)) {
                throw new IllegalArgumentException("the constant c in eps = c / rho must be positive and finite, got "
                        + b.epsConstant);
            }
            this.epsConstant = b.epsConstant;
        }
        if (!(b.startRho > 0) || Double.isInfinite(b.startRho)) {
            throw new IllegalArgumentException("the starting rho must be positive and finite, got " + b.startRho);
        }
        if (!(b.growth > 1) || Double.isInfinite(b.growth)) {
            throw new IllegalArgumentException("the rho growth factor must exceed 1, got " + b.growth);
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
        this.continuation = b.continuation;
        this.startRho = b.startRho;
        this.growth = b.growth;
        this.stepScale = b.stepScale;
        this.maxInnerIterations = b.maxInnerIterations;
        this.jacobianRefresh = b.jacobianRefresh;
    }

    static void checkRho(double rho) {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be positive and finite, got " + rho);
        }
    }

    /**
     * @param rho the target penalty parameter, positive
     * @return a builder for the target penalty parameter rho
     */
    public static Builder builder(double rho) {
        return new Builder(rho);
    }

    /**
     * @param rho the target penalty parameter, positive
     * @return the method with defaults (c = 0.5, continuation from 10 doubling) at this rho
     */
    public static PenaltyMinimax of(double rho) {
        return builder(rho).build();
    }

    /** @return the target rho */
    public double rho() {
        return rho;
    }

    /** @return c in eps = c / rho */
    public double epsConstant() {
        return epsConstant;
    }

    /** @return eps at the target rho */
    public double eps() {
        return epsConstant / rho;
    }

    /** @return whether rho is raised from the start value with warm starts */
    public boolean continuation() {
        return continuation;
    }

    double firstRho() {
        return continuation ? Math.min(startRho, rho) : rho;
    }

    double nextRho(double current) {
        return Math.min(current * growth, rho);
    }

    @Override
    public String name() {
        return "penalty minimax";
    }

    @Override
    public PenaltyMinimaxState init(MinimaxBilevelProblem problem, MinimaxBilevelPoint start, SolverOptions options) {
        Objects.requireNonNull(problem, "problem");
        problem.checkPoint(start);
        PenaltyOperator op = new PenaltyOperator(problem, firstRho());
        Box w = Box.concat(PenaltyOperator.uDomain(problem), PenaltyOperator.vDomain(problem));
        double[] w0 = new double[w.dimension()];
        op.store(start, start.y1(), start.y2(), w0);
        w.project(w0, 0, w0, 0);
        ProximalPoint pp = new ProximalPoint(w.lowerBounds(), w.upperBounds(), op.nu,
                PenaltyOperator.vDomain(problem).diameter(), stepScale, maxInnerIterations, jacobianRefresh);
        PenaltyMinimaxState state = new PenaltyMinimaxState(this, op, pp, w0);
        for (String outside : problem.outsideDomains(start)) {
            state.warnings.add("the start's " + outside + "; the run started from its projection onto the box");
        }
        return state;
    }

    @Override
    public void step(MinimaxBilevelProblem problem, PenaltyMinimaxState state) {
        state.step();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final double rho;
        private double epsConstant = DEFAULT_EPS_CONSTANT;
        private double eps = Double.NaN;
        private boolean epsSet;
        private boolean continuation = true;
        private double startRho = 10.0;
        private double growth = 2.0;
        private double stepScale = 1.0;
        private int maxInnerIterations = 100_000;
        private int jacobianRefresh = 25;

        private Builder(double rho) {
            this.rho = rho;
        }

        /**
         * Sets c in eps = c / rho (default 0.5).
         *
         * @param c the constant c, positive
         * @return this builder
         */
        public Builder epsConstant(double c) {
            epsConstant = c;
            eps = Double.NaN;
            epsSet = false;
            return this;
        }

        /**
         * Sets eps at the target rho directly (c = eps rho for the continuation levels).
         *
         * @param e eps at the target rho, positive
         * @return this builder
         */
        public Builder eps(double e) {
            eps = e;
            epsSet = true;
            return this;
        }

        /**
         * Raises rho from the start value with warm starts (default true).
         *
         * @param on whether to raise rho step by step
         * @return this builder
         */
        public Builder continuation(boolean on) {
            continuation = on;
            return this;
        }

        /**
         * Sets the first rho of the continuation (default 10).
         *
         * @param r the first rho
         * @return this builder
         */
        public Builder startRho(double r) {
            startRho = r;
            return this;
        }

        /**
         * Sets the continuation growth factor, above 1 (default 2).
         *
         * @param g the growth factor
         * @return this builder
         */
        public Builder growth(double g) {
            growth = g;
            return this;
        }

        /**
         * Multiplies every extragradient step; in (0, 1] (default 1).
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
         * Re-estimates the Jacobian sums every this many proximal steps; 0 only per level (default 25).
         *
         * @param n the refresh period
         * @return this builder
         */
        public Builder jacobianRefresh(int n) {
            jacobianRefresh = n;
            return this;
        }

        /**
         * @throws IllegalArgumentException for rho, eps or c that are not positive, and other bad values
         *
         * @return the method
         */
        public PenaltyMinimax build() {
            return new PenaltyMinimax(this);
        }
    }
}
