package org.bilevel4j.solver.minimax;

import java.util.Objects;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * The penalty method for bilevel minimax problems [1] with an outer projected-gradient loop on the
 * hyperparameter x1 and the inner saddle in the other blocks: for the penalty
 * {@code P_rho = f(x1, x2, y1, y2) + rho (ft(x1, y1, z2) - ft(x1, z1, y2))} (see {@link MinimaxPenalty}),
 * <pre>
 *   phi_rho(x1) = min_{y1, y2} max_{x2, z1, z2} P_rho(x1, x2, y1, y2, z1, z2),
 *   grad phi_rho(x1) = grad_x1 f + rho (grad_x1 ft(x1, y1, z2) - grad_x1 ft(x1, z1, y2))   at the inner saddle,
 * </pre>
 * by Danskin's theorem (for the group-DRO lower level with the loss shifts x1 = a and weights y2 = q,
 * {@code grad phi_rho(a) = rho (r - q)}, r = z2). One outer step: solve the inner saddle from the
 * previous one (warm start) by projected extragradient with one step per block
 * ({@code 1 / (2 R_b)}, R_b from the problem's block Lipschitz bounds; constant inside a block, so a
 * simplex block is projected in the Euclidean metric) to the residual {@code innerFactor eps}; then
 * {@code x1 <- Pi_X1(x1 - grad phi_rho(x1) / (c rho))}, c the problem's
 * {@link BlockMinimaxBilevelProblem#valueLipschitzPerRho()} times {@code 1 / outerStepScale}. A level
 * ends when the projected-gradient residual {@code ||x1 - Pi(x1 - eta grad)|| / eta} is at most
 * {@code eps = epsConstant / rho} (x1 is then left where its inner saddle was solved), and rho runs
 * through {@code startRho, growth startRho, ...} up to the target with warm starts.
 *
 * <p>Requirements: the inner problem must be convex-concave (f convex in (y1, y2) and concave in
 * x2, ft convex in y1 and concave in y2), which Danskin's theorem needs; strong convexity-concavity makes
 * extragradient converge linearly. Why this form rather than {@link PenaltyMinimax}: the proximal-
 * point loop takes one prox weight L for all of u = (x1, y1, y2), so the hyperparameter moves by about
 * {@code grad / (2 L)} per proximal step, with L set by the stiffest block (about rho times the lower
 * level's curvature: 185 to 703 on the group-DRO problem of docs/minimax.md); here x1 moves by
 * {@code grad / (c rho)}, set by how fast the inner saddle moves with x1 (c = 1 / tau there), and its
 * per-coordinate steps cannot keep a simplex domain.
 *
 * <p>The lower-level gap {@code ft(x1, y1, z2) - ft(x1, z1, y2)} at an exact inner saddle is
 * {@code max_{z2} ft(x1, y1, z2) - v*(x1) >= 0} (z1, y2 are then the lower saddle point and y1 is
 * pulled to it with weight rho), and shrinks like 1/rho^2 for a strongly convex lower level.
 *
 * <p>Trace columns: {@code level, rho, eps, outer} (outer steps in this level), {@code inner}
 * (extragradient iterations of this step, or the gradient evaluations a supplied inner solver
 * reported), {@code inner_total}, {@code upper} (f), {@code gap},
 * {@code res_x1} (projected-gradient residual in x1), {@code res_inner} (extragradient residual),
 * {@code grad_calls} (cumulative evaluations of grad P_rho, one upper and two lower gradients each, plus
 * what a supplied inner solver reports; with one, each outer step adds one evaluation of grad P_rho for
 * the Danskin gradient and the residual).
 * One solver iteration is one outer step.
 *
 * <p>[1] Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel Optimization with Minimax
 * and Constrained Lower-Level Problems", arXiv:2605.08006, 2026. [2] J. M. Danskin, "The theory of
 * max-min, with applications", SIAM J. Appl. Math. 14, 1966.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads when
 * its inner solver allows it (the built-in one keeps its work in the run's state; a supplied
 * {@link InnerSaddleSolver} may not).
 */
public final class DanskinPenaltyMinimax
        implements IterativeSolver<BlockMinimaxBilevelProblem, MinimaxBilevelPoint, DanskinPenaltyState> {

    private final double rho;
    private final double startRho;
    private final double growth;
    private final double epsConstant;
    private final double innerFactor;
    private final double outerStepScale;
    private final int maxInnerIterations;
    private final InnerSaddleSolver innerSolver;

    private DanskinPenaltyMinimax(Builder b) {
        PenaltyMinimax.checkRho(b.rho);
        if (!(b.startRho > 0) || Double.isInfinite(b.startRho)) {
            throw new IllegalArgumentException("the starting rho must be positive and finite, got " + b.startRho);
        }
        if (!(b.growth > 1) || Double.isInfinite(b.growth)) {
            throw new IllegalArgumentException("the rho growth factor must exceed 1, got " + b.growth);
        }
        if (!(b.epsConstant > 0) || Double.isInfinite(b.epsConstant)) {
            throw new IllegalArgumentException("the constant c in eps = c / rho must be positive and finite, got "
                    + b.epsConstant);
        }
        if (!(b.innerFactor > 0) || Double.isInfinite(b.innerFactor)) {
            throw new IllegalArgumentException("innerFactor must be positive and finite, got " + b.innerFactor);
        }
        if (!(b.outerStepScale > 0) || Double.isInfinite(b.outerStepScale)) {
            throw new IllegalArgumentException("outerStepScale must be positive and finite, got " + b.outerStepScale);
        }
        if (b.maxInnerIterations < 1) {
            throw new IllegalArgumentException("maxInnerIterations must be at least 1, got " + b.maxInnerIterations);
        }
        rho = b.rho;
        startRho = b.startRho;
        growth = b.growth;
        epsConstant = b.epsConstant;
        innerFactor = b.innerFactor;
        outerStepScale = b.outerStepScale;
        maxInnerIterations = b.maxInnerIterations;
        innerSolver = b.innerSolver;
    }

    /** @return the inner solver, or null for the built-in block-step extragradient */
    public InnerSaddleSolver innerSolver() {
        return innerSolver;
    }

    /**
     * @param rho the target (last) penalty parameter of the continuation, positive and finite (checked by
     *     {@link Builder#build()})
     * @return a builder for the target rho
     */
    public static Builder builder(double rho) {
        return new Builder(rho);
    }

    /** @return the target rho */
    public double rho() {
        return rho;
    }

    /** @return the first rho of the continuation */
    public double startRho() {
        return Math.min(startRho, rho);
    }

    double nextRho(double current) {
        return Math.min(current * growth, rho);
    }

    /** @return c in eps = c / rho (the outer stop rule) */
    public double epsConstant() {
        return epsConstant;
    }

    /** @return the inner tolerance as a multiple of eps */
    public double innerFactor() {
        return innerFactor;
    }

    /** @return the multiplier of the outer step {@code 1 / (c rho)} */
    public double outerStepScale() {
        return outerStepScale;
    }

    /** @return the cap on extragradient iterations per outer step */
    public int maxInnerIterations() {
        return maxInnerIterations;
    }

    @Override
    public String name() {
        return "penalty minimax (Danskin outer step)";
    }

    @Override
    public DanskinPenaltyState init(BlockMinimaxBilevelProblem problem, MinimaxBilevelPoint start,
            SolverOptions options) {
        Objects.requireNonNull(problem, "problem");
        problem.checkPoint(start);
        if (!(problem.valueLipschitzPerRho() > 0) || Double.isInfinite(problem.valueLipschitzPerRho())) {
            throw new IllegalArgumentException("valueLipschitzPerRho must be positive and finite, got "
                    + problem.valueLipschitzPerRho());
        }
        return new DanskinPenaltyState(this, problem, start);
    }

    @Override
    public void step(BlockMinimaxBilevelProblem problem, DanskinPenaltyState state) {
        state.step();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final double rho;
        private double startRho = 10.0;
        private double growth = 2.0;
        private double epsConstant = 0.5;
        private double innerFactor = 0.1;
        private double outerStepScale = 1.0;
        private int maxInnerIterations = 100_000;
        private InnerSaddleSolver innerSolver;

        private Builder(double rho) {
            this.rho = rho;
        }

        /**
         * Sets the first rho of the continuation (default 10).
         *
         * @param r the first rho, positive and finite; the continuation starts at {@code min(r, rho)}
         * @return this builder
         */
        public Builder startRho(double r) {
            startRho = r;
            return this;
        }

        /**
         * Sets the continuation growth factor, above 1 (default 2).
         *
         * @param g the factor rho is multiplied by at each level, above 1 and finite
         * @return this builder
         */
        public Builder growth(double g) {
            growth = g;
            return this;
        }

        /**
         * Sets c in eps = c / rho, the outer stop rule (default 0.5).
         *
         * @param c c, positive and finite
         * @return this builder
         */
        public Builder epsConstant(double c) {
            epsConstant = c;
            return this;
        }

        /**
         * Sets the inner extragradient tolerance as a multiple of eps (default 0.1).
         *
         * @param f the factor, positive and finite
         * @return this builder
         */
        public Builder innerFactor(double f) {
            innerFactor = f;
            return this;
        }

        /**
         * Multiplies the outer step 1 / (c rho) (default 1: the descent-lemma step).
         *
         * @param s the multiplier, positive and finite
         * @return this builder
         */
        public Builder outerStepScale(double s) {
            outerStepScale = s;
            return this;
        }

        /**
         * Caps the extragradient iterations of one outer step (default 100000).
         *
         * @param n the cap, at least 1
         * @return this builder
         */
        public Builder maxInnerIterations(int n) {
            maxInnerIterations = n;
            return this;
        }

        /**
         * Replaces the built-in block-step extragradient by another inner solver (null: the built-in
         * one). The residual reported is still the extragradient residual at the point it returns.
         *
         * @param s the inner solver, or null for the built-in one
         * @return this builder
         */
        public Builder innerSolver(InnerSaddleSolver s) {
            innerSolver = s;
            return this;
        }

        /**
         * @return the solver
         * @throws IllegalArgumentException for values out of range (rho or startRho not positive and finite,
         *     growth not above 1, epsConstant, innerFactor or outerStepScale not positive and finite,
         *     maxInnerIterations below 1)
         */
        public DanskinPenaltyMinimax build() {
            return new DanskinPenaltyMinimax(this);
        }
    }
}
