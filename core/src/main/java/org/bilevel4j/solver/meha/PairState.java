package org.bilevel4j.solver.meha;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/**
 * What the states of {@link Meha}, {@link Bome} and {@link ImplicitHypergradient} share: the current
 * (x, y), the last good copy for rollback, and the relative errors against the problem's
 * {@link BilevelProblem#referenceSolution() reference solution} (trace only: no solver reads them).
 */
public abstract class PairState implements SolverState<PairIterate> {

    /** Name of the trace column {@code ||x - x*|| / ||x*||} (present when the problem has a reference). */
    public static final String X_REL_ERR = "x_rel_err";
    /** Name of the trace column {@code ||y - y*|| / ||y*||} (present when the problem has a reference). */
    public static final String Y_REL_ERR = "y_rel_err";

    final BilevelProblem problem;
    DMatrixRMaj x;
    DMatrixRMaj y;
    private final DMatrixRMaj xGood;
    private final DMatrixRMaj yGood;
    private final DMatrixRMaj xRef;
    private final DMatrixRMaj yRef;
    private final List<String> columns;
    int iteration;

    PairState(BilevelProblem problem, PairIterate start, List<String> ownColumns) {
        this.problem = problem;
        problem.checkShapes(start.x(), start.y());
        if (!MatOps.isFinite(start.x()) || !MatOps.isFinite(start.y())) {
            throw new IllegalArgumentException("the start point has non-finite entries");
        }
        x = start.x().copy();
        y = start.y().copy();
        xGood = x.copy();
        yGood = y.copy();
        Optional<PairIterate> ref = problem.referenceSolution();
        xRef = ref.map(PairIterate::x).orElse(null);
        yRef = ref.map(PairIterate::y).orElse(null);
        List<String> c = new ArrayList<>(ownColumns);
        if (xRef != null) {
            c.add(X_REL_ERR);
            c.add(Y_REL_ERR);
        }
        columns = List.copyOf(c);
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the current x (a view: do not modify) */
    public DMatrixRMaj x() {
        return x;
    }

    /** @return the current y (a view: do not modify) */
    public DMatrixRMaj y() {
        return y;
    }

    @Override
    public List<String> traceColumns() {
        return columns;
    }

    /** Fills the solver's own columns; the reference errors are appended by {@link #traceValues}. */
    abstract void ownTraceValues(double[] out);

    @Override
    public final void traceValues(double[] out) {
        ownTraceValues(out);
        if (xRef != null) {
            int n = columns.size();
            out[n - 2] = relativeError(x, xRef);
            out[n - 1] = relativeError(y, yRef);
        }
    }

    /**
     * @param a the estimate
     * @param ref the reference
     * @return {@code ||a - ref|| / ||ref||}, or {@code ||a||} when ref is zero
     */
    public static double relativeError(DMatrixRMaj a, DMatrixRMaj ref) {
        double r = Math.sqrt(MatOps.normSq(ref));
        double d = MatOps.distance(a, ref);
        return r > 0 ? d / r : d;
    }

    @Override
    public boolean isFinite() {
        return MatOps.isFinite(x) && MatOps.isFinite(y);
    }

    @Override
    public void commit() {
        xGood.setTo(x);
        yGood.setTo(y);
        commitMore();
    }

    @Override
    public void rollback() {
        x.setTo(xGood);
        y.setTo(yGood);
        rollbackMore();
    }

    /** Saves solver-specific parts of the iterate; default none. */
    void commitMore() {
    }

    /** Restores solver-specific parts of the iterate; default none. */
    void rollbackMore() {
    }

    @Override
    public PairIterate solution() {
        return new PairIterate(x, y);
    }
}
