package org.bilevel4j.solver.minimax;

import java.util.Objects;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;

/**
 * The stochastic variant of {@link PenaltyMinimax}: the same penalty function
 * {@code P_rho = f + rho (ft(x1, y1, z2) - ft(x1, z1, y2))} and the same proximal-point outer loop, but
 * the lower-level gradients are minibatch estimates from the problem's
 * {@link org.bilevel4j.problem.LowerGradientSampler} (both lower gradients of one evaluation on one
 * minibatch), and the inner solver is stochastic extragradient with decaying steps:
 * <pre>
 *   outer step k from w = (u_k, v):  for t = 1..T:  draw a minibatch;
 *       wbar = Pi(w - T_t G(w)),  w = Pi(w - T_t G(wbar))   (both on that minibatch),
 *       T_t = diag(tau) / sqrt(1 + t_global / t0);
 *   then (u_{k+1}, v) = the average of the T inner iterates,
 * </pre>
 * with {@code G = F_rho + 2 L o (u - u_k) + eps/(2 D_v) (v - v0)} as in the deterministic loop and
 * {@code tau_i = 1 / (2 r_i)} from a forward-difference Jacobian estimate at the start (the largest
 * absolute row sums over a few minibatches). The paper [1] claims a nearly eps-KKT point in
 * O~(eps^-9) calls; its exact algorithm was not available, and this is the reconstruction the method
 * page describes (fixed short inner loops: growing ones starve the outer loop). There is no
 * continuation and no stop rule: the run ends at the component-gradient budget, reported as
 * {@code MAX_ITERATIONS}.
 *
 * <p>Trace columns: {@code rho}, {@code outer}, {@code step_factor} ({@code 1/sqrt(1 + t/t0)} at the
 * last inner step), {@code upper} and {@code gap} (with the problem's exact values: diagnostics, not
 * counted), {@code component_calls} (cumulative component-gradient evaluations: one per component per
 * point, so one inner step costs {@code 4 b}; the Jacobian estimate included).
 *
 * <p>[1] Shen, He, Wang, Lin, arXiv:2605.08006, 2026.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state). Its random numbers come from a generator made per run from the
 * options' seed.
 */
public final class StochasticPenaltyMinimax
        implements IterativeSolver<SampledMinimaxBilevelProblem, MinimaxBilevelPoint, StochasticPenaltyState> {

    private final double rho;
    private final double epsConstant;
    private final int batchSize;
    private final int innerSteps;
    private final double stepScale;
    private final double decay;
    private final long componentBudget;
    private final int jacobianBatches;

    private StochasticPenaltyMinimax(Builder b) {
        PenaltyMinimax.checkRho(b.rho);
        if (!(b.epsConstant > 0) || Double.isInfinite(b.epsConstant)) {
            throw new IllegalArgumentException("the constant c in eps = c / rho must be positive and finite, got "
                    + b.epsConstant);
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + b.batchSize);
        }
        if (b.innerSteps < 1) {
            throw new IllegalArgumentException("inner steps must be at least 1, got " + b.innerSteps);
        }
        if (!(b.stepScale > 0 && b.stepScale <= 1)) {
            throw new IllegalArgumentException("stepScale must be in (0, 1], got " + b.stepScale);
        }
        if (!(b.decay > 0) || Double.isInfinite(b.decay)) {
            throw new IllegalArgumentException("step decay horizon t0 must be positive and finite, got " + b.decay);
        }
        if (b.componentBudget < 1) {
            throw new IllegalArgumentException("component-gradient budget must be positive, got " + b.componentBudget);
        }
        if (b.jacobianBatches < 1) {
            throw new IllegalArgumentException("jacobianBatches must be at least 1, got " + b.jacobianBatches);
        }
        this.rho = b.rho;
        this.epsConstant = b.epsConstant;
        this.batchSize = b.batchSize;
        this.innerSteps = b.innerSteps;
        this.stepScale = b.stepScale;
        this.decay = b.decay;
        this.componentBudget = b.componentBudget;
        this.jacobianBatches = b.jacobianBatches;
    }

    /**
     * @param rho the penalty parameter, positive
     * @return a builder for this rho (defaults: c = 0.5, batch 10, 10 inner steps, t0 = 1000, no budget)
     */
    public static Builder builder(double rho) {
        return new Builder(rho);
    }

    /** @return rho */
    public double rho() {
        return rho;
    }

    /** @return the minibatch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return the inner extragradient steps per outer step */
    public int innerSteps() {
        return innerSteps;
    }

    /** @return the component-gradient cost of one outer step: {@code innerSteps * 2 evaluations * 2 points * b} */
    public long callsPerOuterStep() {
        return (long) innerSteps * 4L * batchSize;
    }

    double epsConstant() {
        return epsConstant;
    }

    double stepScale() {
        return stepScale;
    }

    double decay() {
        return decay;
    }

    int jacobianBatches() {
        return jacobianBatches;
    }

    @Override
    public String name() {
        return "stochastic penalty minimax";
    }

    @Override
    public StochasticPenaltyState init(SampledMinimaxBilevelProblem problem, MinimaxBilevelPoint start,
            SolverOptions options) {
        Objects.requireNonNull(problem, "problem");
        problem.problem().checkPoint(start);
        PenaltyOperator op = new PenaltyOperator(problem.problem(), rho);
        op.sampler = problem.sampler();
        Box w = Box.concat(PenaltyOperator.uDomain(problem.problem()), PenaltyOperator.vDomain(problem.problem()));
        double[] w0 = new double[w.dimension()];
        op.store(start, start.y1(), start.y2(), w0);
        w.project(w0, 0, w0, 0);
        StochasticPenaltyState state = new StochasticPenaltyState(this, op, w, w0,
                RandomGeneratorFactory.of("L64X128MixRandom").create(options.seed()),
                PenaltyOperator.vDomain(problem.problem()).diameter());
        for (String outside : problem.problem().outsideDomains(start)) {
            state.warnings.add("the start's " + outside + "; the run started from its projection onto the box");
        }
        return state;
    }

    @Override
    public void step(SampledMinimaxBilevelProblem problem, StochasticPenaltyState state) {
        state.step();
    }

    /**
     * Runs until the component-gradient budget (or the options' iteration limit, whichever comes
     * first): the number of outer steps is {@code (budget - calls of the Jacobian estimate) / }
     * {@link #callsPerOuterStep()}.
     */
    @Override
    public Result<MinimaxBilevelPoint> solve(SampledMinimaxBilevelProblem problem, MinimaxBilevelPoint start,
            SolverOptions options, IterationListener listener) {
        StochasticPenaltyState state = init(problem, start, options);
        long left = componentBudget - state.componentCalls();
        if (left < callsPerOuterStep()) {
            throw new IllegalArgumentException("the component-gradient budget " + componentBudget
                    + " does not cover one outer step after the Jacobian estimate (" + state.componentCalls()
                    + " + " + callsPerOuterStep() + ")");
        }
        long steps = Math.min(options.maxIterations(), left / callsPerOuterStep());
        return Driver.run(this, problem, state, options.withMaxIterations((int) steps), listener);
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final double rho;
        private double epsConstant = PenaltyMinimax.DEFAULT_EPS_CONSTANT;
        private int batchSize = 10;
        private int innerSteps = 10;
        private double stepScale = 1.0;
        private double decay = 1000;
        private long componentBudget = Long.MAX_VALUE;
        private int jacobianBatches = 4;

        private Builder(double rho) {
            this.rho = rho;
        }

        /**
         * Sets c in eps = c / rho (only the v regularization uses eps here; default 0.5).
         *
         * @param c the constant c, positive
         * @return this builder
         */
        public Builder epsConstant(double c) {
            epsConstant = c;
            return this;
        }

        /**
         * Sets the minibatch size b (default 10).
         *
         * @param b the minibatch size
         * @return this builder
         */
        public Builder batchSize(int b) {
            batchSize = b;
            return this;
        }

        /**
         * Sets the extragradient steps T per outer step (default 10).
         *
         * @param t the number of steps T
         * @return this builder
         */
        public Builder innerSteps(int t) {
            innerSteps = t;
            return this;
        }

        /**
         * Multiplies the initial steps; in (0, 1] (default 1).
         *
         * @param s the scale
         * @return this builder
         */
        public Builder stepScale(double s) {
            stepScale = s;
            return this;
        }

        /**
         * Sets t0 in {@code tau_t = tau / sqrt(1 + t / t0)} (default 1000).
         *
         * @param t0 the constant t0
         * @return this builder
         */
        public Builder decay(double t0) {
            decay = t0;
            return this;
        }

        /**
         * Sets the component-gradient budget (default: none).
         *
         * @param calls the budget of component-gradient calls
         * @return this builder
         */
        public Builder componentBudget(long calls) {
            componentBudget = calls;
            return this;
        }

        /**
         * Sets how many minibatches the Jacobian estimate takes the largest sums over (default 4).
         *
         * @param n the number of minibatches
         * @return this builder
         */
        public Builder jacobianBatches(int n) {
            jacobianBatches = n;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a nonpositive rho, c, batch or budget, and other bad values
         *
         * @return the method
         */
        public StochasticPenaltyMinimax build() {
            return new StochasticPenaltyMinimax(this);
        }
    }
}
