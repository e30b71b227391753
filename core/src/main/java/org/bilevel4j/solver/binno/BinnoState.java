package org.bilevel4j.solver.binno;

import java.util.List;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/** The state of a {@link Binno} run: the current (X, Y), work buffers, and the last step's numbers. */
public final class BinnoState implements SolverState<BlockIterate> {

    /** The name of the trace column {@code psi1} (row order: {@link #TRACE_COLUMNS}). */
    public static final String PSI1 = "psi1";

    /** The name of the trace column {@code psi2} (row order: {@link #TRACE_COLUMNS}). */
    public static final String PSI2 = "psi2";

    /** The name of the trace column {@code alpha} (row order: {@link #TRACE_COLUMNS}). */
    public static final String ALPHA = "alpha";

    /** The name of the trace column {@code beta} (row order: {@link #TRACE_COLUMNS}). */
    public static final String BETA = "beta";

    /** The name of the trace column {@code nu_x} (row order: {@link #TRACE_COLUMNS}). */
    public static final String NU_X = "nu_x";

    /** The name of the trace column {@code nu_y} (row order: {@link #TRACE_COLUMNS}). */
    public static final String NU_Y = "nu_y";

    /** The name of the trace column {@code psi1_decreased} (row order: {@link #TRACE_COLUMNS}). */
    public static final String PSI1_DECREASED = "psi1_decreased";

    /** The name of the trace column {@code psi2_decreased} (row order: {@link #TRACE_COLUMNS}). */
    public static final String PSI2_DECREASED = "psi2_decreased";

    /** The name of the trace column {@code trials} (row order: {@link #TRACE_COLUMNS}). */
    public static final String TRIALS = "trials";

    /** The name of the trace column {@code descent_failed} (row order: {@link #TRACE_COLUMNS}). */
    public static final String DESCENT_FAILED = "descent_failed";

    /**
     * The trace columns of BINNO (after iteration and seconds), shared by every implementation of the
     * method: {@code psi1, psi2, alpha, beta, nu_x, nu_y, psi1_decreased, psi2_decreased, trials,
     * descent_failed} (1 when the linesearch found no pair with sufficient decrease of both levels).
     */
    public static final List<String> TRACE_COLUMNS = List.of(PSI1, PSI2, ALPHA, BETA, NU_X, NU_Y,
            PSI1_DECREASED, PSI2_DECREASED, TRIALS, DESCENT_FAILED);


    final BlockCompositeBilevelProblem problem;
    final CouplingEvaluator evaluator;
    final DMatrixRMaj x;
    final DMatrixRMaj y;
    final DMatrixRMaj xu;
    final DMatrixRMaj xl;
    final DMatrixRMaj yu;
    final DMatrixRMaj yl;
    final DMatrixRMaj z;
    final DMatrixRMaj w;
    final DMatrixRMaj gradX;
    final DMatrixRMaj gradYu;
    final DMatrixRMaj gradYl;
    final DMatrixRMaj xTrial;
    final DMatrixRMaj yTrial;
    private final DMatrixRMaj xGood;
    private final DMatrixRMaj yGood;
    /** the vanishing rule's mixture W (the reported point is its lower candidate) */
    final DMatrixRMaj wx;
    final DMatrixRMaj wy;
    /** whether the gradients are taken at (wx, wy) rather than at the reported (x, y) */
    boolean mixture;
    int iteration;
    double psi1;
    double psi2;
    double alpha = Double.NaN;
    double beta = Double.NaN;
    double nuX = Double.NaN;
    double nuY = Double.NaN;
    double alphaMin;
    double alphaMax;
    double betaMin;
    double betaMax;
    boolean psi1Decreased;
    boolean psi2Decreased;
    int trials;
    /** whether the last linesearch took its fallback (no simultaneous sufficient descent) */
    boolean descentFailed;
    /** how many iterations took the linesearch's fallback */
    int descentFailures;
    private double psi1Good;
    private double psi2Good;

    BinnoState(BlockCompositeBilevelProblem problem, BlockIterate start, CouplingEvaluator evaluator) {
        this.problem = problem;
        this.evaluator = evaluator;
        this.x = start.x().copy();
        this.y = start.y().copy();
        int m = x.numRows;
        int r = x.numCols;
        int n = y.numCols;
        xu = new DMatrixRMaj(m, r);
        xl = new DMatrixRMaj(m, r);
        z = new DMatrixRMaj(m, r);
        gradX = new DMatrixRMaj(m, r);
        xTrial = new DMatrixRMaj(m, r);
        xGood = new DMatrixRMaj(m, r);
        yu = new DMatrixRMaj(y.numRows, n);
        yl = new DMatrixRMaj(y.numRows, n);
        w = new DMatrixRMaj(y.numRows, n);
        gradYu = new DMatrixRMaj(y.numRows, n);
        gradYl = new DMatrixRMaj(y.numRows, n);
        yTrial = new DMatrixRMaj(y.numRows, n);
        yGood = new DMatrixRMaj(y.numRows, n);
        wx = x.copy();
        wy = y.copy();
        double hv = evaluator.setCurrent(x, y);
        psi1 = problem.f1().value(x) + problem.g1().value(y) + hv;
        psi2 = problem.f2().value(x) + problem.g2().value(y) + hv;
    }

    /**
     * Records the step's weights and the values at the new (x, y), which the evaluator has just made
     * current. A nuclear norm is evaluated from the evaluator's Gram matrices where it can give it
     * accurately ({@link CouplingEvaluator#nuclearNorm}), else by the SVD of the factor.
     */
    void accept(double a, double b, double hValue, int trialCount) {
        alpha = a;
        beta = b;
        trials = trialCount;
        psi1 = value(problem.f1(), true) + value(problem.g1(), false) + hValue;
        psi2 = value(problem.f2(), true) + value(problem.g2(), false) + hValue;
    }

    private double value(ProxFunction f, boolean ofX) {
        if (f instanceof NuclearNorm nn) {
            double v = evaluator.nuclearNorm(ofX);
            if (!Double.isNaN(v)) {
                return nn.gamma() * v;
            }
        }
        return f.value(ofX ? x : y);
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the current upper-level value Psi1 */
    public double psi1() {
        return psi1;
    }

    /** @return the current lower-level value Psi2 */
    public double psi2() {
        return psi2;
    }

    /** @return the last X weight alpha */
    public double alpha() {
        return alpha;
    }

    /** @return the last Y weight beta */
    public double beta() {
        return beta;
    }

    /** @return the last X window {alpha_min, alpha_max} ({0, 1} without a window) */
    public double[] alphaWindow() {
        return new double[] {alphaMin, alphaMax};
    }

    /** @return the last Y window {beta_min, beta_max} ({0, 1} without a window) */
    public double[] betaWindow() {
        return new double[] {betaMin, betaMax};
    }

    /** @return the current X (a view: do not modify) */
    public DMatrixRMaj x() {
        return x;
    }

    /** @return the current Y (a view: do not modify) */
    public DMatrixRMaj y() {
        return y;
    }

    @Override
    public List<String> traceColumns() {
        return TRACE_COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        traceRow(out, psi1, psi2, alpha, beta, nuX, nuY, psi1Decreased, psi2Decreased, trials, descentFailed);
    }

    /** @return how many iterations took the linesearch's fallback (no simultaneous sufficient descent) */
    public int descentFailures() {
        return descentFailures;
    }

    @Override
    public List<String> warnings() {
        String note = descentNote(descentFailures, iteration);
        return note == null ? List.of() : List.of(note);
    }

    /**
     * @param failures the iterations whose linesearch took the fallback (no sufficient descent)
     * @param iterations the iterations done
     * @return the result message's note on the linesearch's fallback, or null when no iteration took it;
     *     shared with the distributed solver's state
     */
    public static String descentNote(int failures, int iterations) {
        if (failures == 0) {
            return null;
        }
        return "linesearch: no weight pair gave sufficient decrease of both levels in " + failures + " of "
                + iterations + " iterations (took the trial with the smallest violation; trace column"
                + " descent_failed)";
    }

    /**
     * Writes one trace row in the order of {@link #TRACE_COLUMNS}; the distributed solver's state
     * records its iterations through it too.
     *
     * @param out modified: receives the result
     * @param psi1 Psi1 at the iterate
     * @param psi2 Psi2 at the iterate
     * @param alpha the X weight alpha
     * @param beta the Y weight beta
     * @param nuX the X step constant nu_x
     * @param nuY the Y step constant nu_y
     * @param psi1Decreased whether Psi1 decreased
     * @param psi2Decreased whether Psi2 decreased
     * @param trials the linesearch trials
     * @param descentFailed whether the linesearch took its fallback (column {@code descent_failed}: 1 or 0)
     */
    public static void traceRow(double[] out, double psi1, double psi2, double alpha, double beta, double nuX,
            double nuY, boolean psi1Decreased, boolean psi2Decreased, int trials, boolean descentFailed) {
        out[0] = psi1;
        out[1] = psi2;
        out[2] = alpha;
        out[3] = beta;
        out[4] = nuX;
        out[5] = nuY;
        out[6] = psi1Decreased ? 1 : 0;
        out[7] = psi2Decreased ? 1 : 0;
        out[8] = trials;
        out[9] = descentFailed ? 1 : 0;
    }

    @Override
    public double[] objectives() {
        return new double[] {psi1, psi2};
    }

    @Override
    public boolean isFinite() {
        return Double.isFinite(psi1) && Double.isFinite(psi2) && MatOps.isFinite(x) && MatOps.isFinite(y);
    }

    @Override
    public void commit() {
        System.arraycopy(x.data, 0, xGood.data, 0, x.getNumElements());
        System.arraycopy(y.data, 0, yGood.data, 0, y.getNumElements());
        psi1Good = psi1;
        psi2Good = psi2;
    }

    @Override
    public void rollback() {
        System.arraycopy(xGood.data, 0, x.data, 0, x.getNumElements());
        System.arraycopy(yGood.data, 0, y.data, 0, y.getNumElements());
        psi1 = psi1Good;
        psi2 = psi2Good;
        if (mixture) {
            // restart the mixture from the last finite reported point
            wx.setTo(x);
            wy.setTo(y);
            evaluator.setCurrent(wx, wy);
        } else {
            evaluator.setCurrent(x, y);
        }
    }

    @Override
    public BlockIterate solution() {
        return new BlockIterate(x, y);
    }
}
