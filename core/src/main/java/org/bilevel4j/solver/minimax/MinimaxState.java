package org.bilevel4j.solver.minimax;

import java.util.List;
import org.bilevel4j.problem.SaddlePoint;
import org.bilevel4j.solver.SolverState;

/** The state of a {@link MinimaxSolver} run: the stacked point (u, v), the engine and the counters. */
public final class MinimaxState implements SolverState<SaddlePoint> {

    /** The name of the trace column {@code inner} (row order: {@link #COLUMNS}). */
    public static final String INNER = "inner";

    /** The name of the trace column {@code value} (row order: {@link #COLUMNS}). */
    public static final String VALUE = "value";

    /** The name of the trace column {@code res_u} (row order: {@link #COLUMNS}). */
    public static final String RES_U = "res_u";

    /** The name of the trace column {@code res_v} (row order: {@link #COLUMNS}). */
    public static final String RES_V = "res_v";

    /** The name of the trace column {@code step} (row order: {@link #COLUMNS}). */
    public static final String STEP = "step";

    /** The name of the trace column {@code grad_calls} (row order: {@link #COLUMNS}). */
    public static final String GRAD_CALLS = "grad_calls";

    /** The trace columns (after iteration and seconds), in row order. */
    public static final List<String> COLUMNS = List.of(INNER, VALUE, RES_U, RES_V, STEP, GRAD_CALLS);

    private final ProblemOperator op;
    private final ProximalPoint pp;
    private final double[] w;
    private final double[] good;
    private final boolean extragradient;
    private final double tolerance;
    private final double stepScale;
    private final int refresh;
    private final double[] res = new double[2];
    private boolean gValid;
    private int sinceRefresh;
    private int inner;
    private double value;
    private double goodValue;
    private boolean converged;

    MinimaxState(ProblemOperator op, ProximalPoint pp, double[] w0, boolean extragradient, double tolerance,
            double stepScale, int refresh) {
        this.op = op;
        this.pp = pp;
        this.w = w0;
        this.good = w0.clone();
        this.extragradient = extragradient;
        this.tolerance = tolerance;
        this.stepScale = stepScale;
        this.refresh = refresh;
        if (extragradient) {
            refreshSteps();
        } else {
            pp.start(op, w, tolerance);
        }
        value = op.value(w);
        goodValue = value;
    }

    private void refreshSteps() {
        Extragradient eg = pp.eg;
        eg.calls += pp.scaling.estimate(op, w, eg.lo, eg.hi);
        JacobianScaling.steps(pp.scaling.all, eg.shift, stepScale, eg.tau);
        gValid = false;
        sinceRefresh = 0;
    }

    void step() {
        Extragradient eg = pp.eg;
        if (extragradient) {
            if (refresh > 0 && sinceRefresh >= refresh) {
                refreshSteps();
            }
            inner = eg.run(op, w, tolerance, 1, gValid);
            gValid = true;
            sinceRefresh++;
            res[0] = eg.residualU;
            res[1] = eg.residualV;
            converged = eg.reached;
        } else {
            pp.step(op, w);
            inner = pp.lastInner;
            eg.baseResiduals(w, res);
            converged = pp.stopped;
        }
        value = op.value(w);
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = inner;
        out[1] = value;
        out[2] = res[0];
        out[3] = res[1];
        out[4] = extragradient ? 0.0 : pp.stepNorm;
        out[5] = pp.eg.calls;
    }

    /**
     * @return phi and the residuals in u and v: near a saddle point phi alone changes by less than its
     *     rounding error long before the point has converged, so the relative-change test watches the
     *     residuals too
     */
    @Override
    public double[] objectives() {
        return new double[] {value, res[0], res[1]};
    }

    @Override
    public boolean isFinite() {
        for (double x : w) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return Double.isFinite(value);
    }

    @Override
    public void commit() {
        System.arraycopy(w, 0, good, 0, w.length);
        goodValue = value;
    }

    @Override
    public void rollback() {
        System.arraycopy(good, 0, w, 0, w.length);
        value = goodValue;
        gValid = false;
        pp.invalidate();
    }

    @Override
    public SaddlePoint solution() {
        double[] u = new double[op.nu];
        double[] v = new double[op.nv];
        System.arraycopy(w, 0, u, 0, op.nu);
        System.arraycopy(w, op.nu, v, 0, op.nv);
        return SaddlePoint.of(u, v);
    }

    @Override
    public boolean converged() {
        return converged;
    }

    /** @return cumulative gradient evaluations, finite differences included */
    public long gradientCalls() {
        return pp.eg.calls;
    }

    /** @return the residual of phi's operator in u at the current point */
    public double residualU() {
        return res[0];
    }

    /** @return the residual of phi's operator in v at the current point */
    public double residualV() {
        return res[1];
    }

    /** @return the current value phi(u, v) */
    public double value() {
        return value;
    }
}
