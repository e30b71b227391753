package org.bilevel4j.solver.minimax;

import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/**
 * The state of a {@link PenaltyMinimax} run: the stacked point {@code w = (x1, y1, y2, x2, z1, z2)},
 * the continuation level and the diagnostics of the last proximal step. The trace columns are
 * described in {@link PenaltyMinimax}; their names are the constants below.
 *
 * <p>Thread-safety: not thread-safe; one state belongs to one run, driven from one thread.
 */
public final class PenaltyMinimaxState implements SolverState<MinimaxBilevelPoint> {

    /** Trace column: the 0-based continuation level. */
    public static final String LEVEL = "level";
    /** Trace column: the penalty parameter of the level. */
    public static final String RHO = "rho";
    /** Trace column: the tolerance of the level. */
    public static final String EPS = "eps";
    /** Trace column: proximal steps in this level. */
    public static final String OUTER = "outer";
    /** Trace column: extragradient iterations of this step. */
    public static final String INNER = "inner";
    /** Trace column: extragradient iterations of the run. */
    public static final String INNER_TOTAL = "inner_total";
    /** Trace column: the upper-level value f at the iterate. */
    public static final String UPPER = "upper";
    /** Trace column: the lower-level gap {@code ft(x1, y1, z2) - ft(x1, z1, y2)}. */
    public static final String GAP = "gap";
    /** Trace column: the projected-gradient residual of P_rho in u. */
    public static final String RES_U = "res_u";
    /** Trace column: the projected-gradient residual of P_rho in v. */
    public static final String RES_V = "res_v";
    /** Trace column: the length of the last proximal step. */
    public static final String STEP = "step";
    /** Trace column: cumulative evaluations of grad P_rho. */
    public static final String GRAD_CALLS = "grad_calls";

    private static final List<String> COLUMNS = List.of(LEVEL, RHO, EPS, OUTER, INNER, INNER_TOTAL, UPPER, GAP,
            RES_U, RES_V, STEP, GRAD_CALLS);

    private final PenaltyMinimax config;
    private final PenaltyOperator op;
    private final ProximalPoint pp;
    private final double[] w;
    private final double[] good;
    private final double[] res = new double[2];
    private final double[] row = new double[COLUMNS.size()];
    /** Warnings of the solver's checks at the start (a start outside the boxes). */
    final List<String> warnings = new ArrayList<>();
    private int level;
    private double rho;
    private double eps;
    private double upper;
    private double gap;
    private boolean done;

    PenaltyMinimaxState(PenaltyMinimax config, PenaltyOperator op, ProximalPoint pp, double[] w0) {
        this.config = config;
        this.op = op;
        this.pp = pp;
        this.w = w0;
        this.good = w0.clone();
        this.rho = op.rho;
        this.eps = config.epsConstant() / rho;
        pp.start(op, w, eps);
        upper = op.upperValue(w);
        gap = op.gap(w);
        fillRow();
    }

    void step() {
        pp.step(op, w);
        pp.eg.baseResiduals(w, res);
        upper = op.upperValue(w);
        gap = op.gap(w);
        fillRow();
        if (pp.stopped) {
            if (rho >= config.rho()) {
                done = true;
            } else {
                level++;
                rho = config.nextRho(rho);
                op.rho = rho;
                eps = config.epsConstant() / rho;
                pp.start(op, w, eps);
            }
        }
    }

    private void fillRow() {
        row[0] = level;
        row[1] = rho;
        row[2] = eps;
        row[3] = pp.k;
        row[4] = pp.lastInner;
        row[5] = pp.innerTotal;
        row[6] = upper;
        row[7] = gap;
        row[8] = res[0];
        row[9] = res[1];
        row[10] = pp.stepNorm;
        row[11] = pp.eg.calls;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        System.arraycopy(row, 0, out, 0, row.length);
    }

    /**
     * @return the upper value, the gap, rho (a level change counts as a change) and the residuals in u
     *     and v (near a solution the values alone can stop changing within rounding long before the
     *     stop rule holds)
     */
    @Override
    public double[] objectives() {
        return new double[] {upper, gap, row[1], res[0], res[1]};
    }

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
        System.arraycopy(w, 0, good, 0, w.length);
    }

    @Override
    public void rollback() {
        System.arraycopy(good, 0, w, 0, w.length);
        pp.invalidate();
    }

    @Override
    public MinimaxBilevelPoint solution() {
        return op.point(w);
    }

    @Override
    public boolean converged() {
        return done;
    }

    /** @return the current rho (of the level in progress, or the target once converged) */
    public double rho() {
        return rho;
    }

    /** @return the current eps = c / rho */
    public double eps() {
        return eps;
    }

    /** @return the continuation level, 0-based */
    public int level() {
        return level;
    }

    /** @return the auxiliary z1 (the lower level's minimizing copy), a copy */
    public DMatrixRMaj z1() {
        return op.z1(w);
    }

    /** @return the auxiliary z2 (the lower level's maximizing copy), a copy */
    public DMatrixRMaj z2() {
        return op.z2(w);
    }

    /** @return f at the current point */
    public double upperValue() {
        return upper;
    }

    /** @return the lower-level gap {@code ft(x1, y1, z2) - ft(x1, z1, y2)} at the current point */
    public double gap() {
        return gap;
    }

    /** @return cumulative evaluations of grad P_rho */
    public long gradientCalls() {
        return pp.eg.calls;
    }

    /** @return cumulative extragradient iterations */
    public long innerIterations() {
        return pp.innerTotal;
    }

    /** @return the projected-gradient residual of P_rho in u at the current point */
    public double residualU() {
        return res[0];
    }

    /** @return the projected-gradient residual of P_rho in v at the current point */
    public double residualV() {
        return res[1];
    }
}
