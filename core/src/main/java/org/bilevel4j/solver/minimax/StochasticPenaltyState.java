package org.bilevel4j.solver.minimax;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/** The state of a {@link StochasticPenaltyMinimax} run. */
public final class StochasticPenaltyState implements SolverState<MinimaxBilevelPoint> {

    /** The name of the trace column {@code rho} (row order: {@link #COLUMNS}). */
    public static final String RHO = "rho";

    /** The name of the trace column {@code outer} (row order: {@link #COLUMNS}). */
    public static final String OUTER = "outer";

    /** The name of the trace column {@code step_factor} (row order: {@link #COLUMNS}). */
    public static final String STEP_FACTOR = "step_factor";

    /** The name of the trace column {@code upper} (row order: {@link #COLUMNS}). */
    public static final String UPPER = "upper";

    /** The name of the trace column {@code gap} (row order: {@link #COLUMNS}). */
    public static final String GAP = "gap";

    /** The name of the trace column {@code component_calls} (row order: {@link #COLUMNS}). */
    public static final String COMPONENT_CALLS = "component_calls";

    /** The trace columns (after iteration and seconds), in row order. */
    public static final List<String> COLUMNS = List.of(RHO, OUTER, STEP_FACTOR, UPPER, GAP, COMPONENT_CALLS);

    private final StochasticPenaltyMinimax config;
    private final PenaltyOperator op;
    private final RandomGenerator rng;
    private final int n;
    private final int nu;
    private final double[] lo;
    private final double[] hi;
    private final double[] w;
    private final double[] good;
    private final double[] tau;
    private final double[] shift;
    private final double[] center;
    private final double[] weights;
    private final double[] g;
    private final double[] wbar;
    private final double[] gbar;
    private final double[] sum;
    private long t;
    private int outer;
    private double stepFactor = 1;
    private double upper;
    private double gap;

    StochasticPenaltyState(StochasticPenaltyMinimax config, PenaltyOperator op, Box box, double[] w0,
            RandomGenerator rng, double vDiameter) {
        this.config = config;
        this.op = op;
        this.rng = rng;
        this.n = op.dimension();
        this.nu = op.nu;
        this.lo = box.lowerBounds();
        this.hi = box.upperBounds();
        this.w = w0;
        this.good = w0.clone();
        tau = new double[n];
        shift = new double[n];
        center = new double[n];
        weights = new double[nu];
        g = new double[n];
        wbar = new double[n];
        gbar = new double[n];
        sum = new double[n];
        // Jacobian sums: the largest over a few minibatches, each estimate on one fixed minibatch
        JacobianScaling js = new JacobianScaling(n, nu);
        double[] all = new double[n];
        for (int r = 0; r < config.jacobianBatches(); r++) {
            op.sampler.draw(rng, config.batchSize());
            js.estimate(op, w, lo, hi);
            for (int i = 0; i < n; i++) {
                all[i] = Math.max(all[i], js.all[i]);
                if (i < nu) {
                    weights[i] = Math.max(weights[i], js.uu[i]);
                }
            }
        }
        double eps = config.epsConstant() / op.rho;
        double vReg = vDiameter > 0 ? eps / (2 * vDiameter) : 0.0;
        for (int i = 0; i < n; i++) {
            if (i < nu) {
                shift[i] = 2 * weights[i];
            } else {
                shift[i] = vReg;
                center[i] = w[i];
            }
        }
        JacobianScaling.steps(all, shift, config.stepScale(), tau);
        upper = op.upperValue(w);
        gap = op.gap(w);
    }

    private void evaluate(double[] x, double[] out) {
        op.apply(x, out);
        for (int i = 0; i < n; i++) {
            out[i] += shift[i] * (x[i] - center[i]);
        }
    }

    void step() {
        for (int i = 0; i < nu; i++) {
            center[i] = w[i];
        }
        java.util.Arrays.fill(sum, 0);
        int inner = config.innerSteps();
        for (int s = 0; s < inner; s++) {
            t++;
            stepFactor = 1.0 / Math.sqrt(1.0 + t / config.decay());
            op.sampler.draw(rng, config.batchSize());
            evaluate(w, g);
            for (int i = 0; i < n; i++) {
                double x = w[i] - stepFactor * tau[i] * g[i];
                wbar[i] = x < lo[i] ? lo[i] : (x > hi[i] ? hi[i] : x);
            }
            evaluate(wbar, gbar);
            for (int i = 0; i < n; i++) {
                double x = w[i] - stepFactor * tau[i] * gbar[i];
                w[i] = x < lo[i] ? lo[i] : (x > hi[i] ? hi[i] : x);
                sum[i] += w[i];
            }
        }
        for (int i = 0; i < n; i++) {
            w[i] = sum[i] / inner;
        }
        outer++;
        upper = op.upperValue(w);
        gap = op.gap(w);
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = op.rho;
        out[1] = outer;
        out[2] = stepFactor;
        out[3] = upper;
        out[4] = gap;
        out[5] = op.componentCalls;
    }

    @Override
    public double[] objectives() {
        return new double[] {upper, gap};
    }

    /** Warnings of the solver's checks at the start (a start outside the boxes). */
    final List<String> warnings = new ArrayList<>();

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public boolean isFinite() {
        for (double x : w) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return Double.isFinite(upper) && Double.isFinite(gap);
    }

    @Override
    public void commit() {
        System.arraycopy(w, 0, good, 0, n);
    }

    @Override
    public void rollback() {
        System.arraycopy(good, 0, w, 0, n);
    }

    @Override
    public MinimaxBilevelPoint solution() {
        return op.point(w);
    }

    /** @return cumulative component-gradient evaluations */
    public long componentCalls() {
        return op.componentCalls;
    }

    /** @return z1, a copy */
    public DMatrixRMaj z1() {
        return op.z1(w);
    }

    /** @return z2, a copy */
    public DMatrixRMaj z2() {
        return op.z2(w);
    }
}
