package org.bilevel4j.solver.minimax;

import java.util.List;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem.Block;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/**
 * The state of a {@link DanskinPenaltyMinimax} run: x1, the inner point
 * {@code (y1, y2, x2, z1, z2)} solved at x1 (the solution reported), the continuation level and the
 * diagnostics of the last outer step.
 */
public final class DanskinPenaltyState implements SolverState<MinimaxBilevelPoint> {

    /** The name of the trace column {@code level} (row order: {@link #COLUMNS}). */
    public static final String LEVEL = "level";

    /** The name of the trace column {@code rho} (row order: {@link #COLUMNS}). */
    public static final String RHO = "rho";

    /** The name of the trace column {@code eps} (row order: {@link #COLUMNS}). */
    public static final String EPS = "eps";

    /** The name of the trace column {@code outer} (row order: {@link #COLUMNS}). */
    public static final String OUTER = "outer";

    /** The name of the trace column {@code inner} (row order: {@link #COLUMNS}). */
    public static final String INNER = "inner";

    /** The name of the trace column {@code inner_total} (row order: {@link #COLUMNS}). */
    public static final String INNER_TOTAL = "inner_total";

    /** The name of the trace column {@code upper} (row order: {@link #COLUMNS}). */
    public static final String UPPER = "upper";

    /** The name of the trace column {@code gap} (row order: {@link #COLUMNS}). */
    public static final String GAP = "gap";

    /** The name of the trace column {@code res_x1} (row order: {@link #COLUMNS}). */
    public static final String RES_X1 = "res_x1";

    /** The name of the trace column {@code res_inner} (row order: {@link #COLUMNS}). */
    public static final String RES_INNER = "res_inner";

    /** The name of the trace column {@code grad_calls} (row order: {@link #COLUMNS}). */
    public static final String GRAD_CALLS = "grad_calls";

    /** The trace columns (after iteration and seconds), in row order. */
    public static final List<String> COLUMNS = List.of(LEVEL, RHO, EPS, OUTER, INNER, INNER_TOTAL, UPPER, GAP,
            RES_X1, RES_INNER, GRAD_CALLS);

    private final DanskinPenaltyMinimax config;
    private final BlockMinimaxBilevelProblem problem;
    private final BlockExtragradient eg;
    private final double[] x1;
    private final double[] solvedX1;
    private final double[] w;
    private final double[] goodX1;
    private final double[] goodSolved;
    private final double[] goodW;
    private final double[] row = new double[COLUMNS.size()];
    private final DMatrixRMaj scratch;
    private boolean gValid;
    private int level;
    private int outer;
    private long innerTotal;
    private double rho;
    private double eps;
    private double upper;
    private double gap;
    private double resX1 = Double.NaN;
    private boolean done;

    DanskinPenaltyState(DanskinPenaltyMinimax config, BlockMinimaxBilevelProblem problem, MinimaxBilevelPoint start) {
        this.config = config;
        this.problem = problem;
        this.eg = new BlockExtragradient(problem);
        int n1 = eg.n1;
        scratch = new DMatrixRMaj(n1, 1);
        System.arraycopy(start.x1().data, 0, scratch.data, 0, n1);
        problem.project(Block.X1, scratch, scratch);
        x1 = scratch.data.clone();
        solvedX1 = x1.clone();
        w = new double[eg.n];
        DMatrixRMaj[] blocks = {start.y1(), start.y2(), start.x2(), start.y1(), start.y2()};
        for (int b = 0; b < 5; b++) {
            System.arraycopy(blocks[b].data, 0, w, eg.off[b], eg.size[b]);
        }
        eg.project(w);
        goodX1 = x1.clone();
        goodSolved = x1.clone();
        goodW = w.clone();
        rho = config.startRho();
        eps = config.epsConstant() / rho;
        eg.setRho(rho);
        eg.setX1(x1);
        upper = eg.upper(w);
        gap = eg.gap(w);
        fillRow(0);
    }

    void step() {
        double tol = config.innerFactor() * eps;
        int inner;
        if (config.innerSolver() == null) {
            inner = eg.run(w, tol, config.maxInnerIterations(), gValid);
        } else {
            DMatrixRMaj[] b = new DMatrixRMaj[5];
            for (int i = 0; i < 5; i++) {
                b[i] = eg.block(w, i);
            }
            long calls = config.innerSolver().solve(problem, DMatrixRMaj.wrap(x1.length, 1, x1.clone()), rho, b[0],
                    b[1], b[2], b[3], b[4], tol);
            for (int i = 0; i < 5; i++) {
                System.arraycopy(b[i].data, 0, w, eg.off[i], eg.size[i]);
            }
            eg.calls += calls;
            inner = (int) Math.min(Integer.MAX_VALUE, calls);
            eg.run(w, Double.POSITIVE_INFINITY, 0, false);
        }
        gValid = true;
        innerTotal += inner;
        outer++;
        System.arraycopy(x1, 0, solvedX1, 0, x1.length);
        double eta = config.outerStepScale() / (problem.valueLipschitzPerRho() * rho);
        for (int i = 0; i < x1.length; i++) {
            scratch.data[i] = x1[i] - eta * eg.gradX1[i];
        }
        problem.project(Block.X1, scratch, scratch);
        double s = 0;
        for (int i = 0; i < x1.length; i++) {
            double d = (x1[i] - scratch.data[i]) / eta;
            s += d * d;
        }
        resX1 = Math.sqrt(s);
        upper = eg.upper(w);
        gap = eg.gap(w);
        fillRow(inner);
        if (resX1 <= eps) {
            if (rho >= config.rho()) {
                done = true;
            } else {
                level++;
                outer = 0;
                rho = config.nextRho(rho);
                eps = config.epsConstant() / rho;
                eg.setRho(rho);
                gValid = false;
            }
        } else {
            System.arraycopy(scratch.data, 0, x1, 0, x1.length);
            eg.setX1(x1);
            gValid = false;
        }
    }

    private void fillRow(int inner) {
        row[0] = level;
        row[1] = rho;
        row[2] = eps;
        row[3] = outer;
        row[4] = inner;
        row[5] = innerTotal;
        row[6] = upper;
        row[7] = gap;
        row[8] = resX1;
        row[9] = eg.residual;
        row[10] = eg.calls;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        System.arraycopy(row, 0, out, 0, row.length);
    }

    /** @return the upper value, the gap, rho and the x1 residual */
    @Override
    public double[] objectives() {
        return new double[] {upper, gap, rho, resX1};
    }

    @Override
    public boolean isFinite() {
        for (double v : w) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (double v : x1) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(upper) && Double.isFinite(gap);
    }

    @Override
    public void commit() {
        System.arraycopy(x1, 0, goodX1, 0, x1.length);
        System.arraycopy(solvedX1, 0, goodSolved, 0, x1.length);
        System.arraycopy(w, 0, goodW, 0, w.length);
    }

    @Override
    public void rollback() {
        System.arraycopy(goodX1, 0, x1, 0, x1.length);
        System.arraycopy(goodSolved, 0, solvedX1, 0, x1.length);
        System.arraycopy(goodW, 0, w, 0, w.length);
        eg.setX1(x1);
        gValid = false;
    }

    /** @return (x1, x2, y1, y2) with the inner blocks solved at that x1 (the x1 before the last move) */
    @Override
    public MinimaxBilevelPoint solution() {
        return new MinimaxBilevelPoint(DMatrixRMaj.wrap(solvedX1.length, 1, solvedX1.clone()), eg.block(w, 2),
                eg.block(w, 0), eg.block(w, 1));
    }

    @Override
    public boolean converged() {
        return done;
    }

    /** @return the current x1 (after the last move), a copy */
    public DMatrixRMaj x1() {
        return DMatrixRMaj.wrap(x1.length, 1, x1.clone());
    }

    /** @return z1, the lower level's minimizing copy, a copy */
    public DMatrixRMaj z1() {
        return eg.block(w, 3);
    }

    /** @return z2, the lower level's maximizing copy, a copy */
    public DMatrixRMaj z2() {
        return eg.block(w, 4);
    }

    /** @return the current rho */
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

    /** @return the lower-level gap ft(x1, y1, z2) - ft(x1, z1, y2) at the last solved point */
    public double gap() {
        return gap;
    }

    /** @return f at the last solved point */
    public double upperValue() {
        return upper;
    }

    /** @return cumulative evaluations of grad P_rho */
    public long gradientCalls() {
        return eg.calls;
    }

    /** @return cumulative extragradient iterations */
    public long innerIterations() {
        return innerTotal;
    }

    /** @return the projected-gradient residual in x1 of the last outer step */
    public double residualX1() {
        return resX1;
    }

    /** @return the last extragradient residual */
    public double residualInner() {
        return eg.residual;
    }

    /** @return how often the extragradient steps were halved by the local test */
    public long backtracks() {
        return eg.backtracks;
    }
}
