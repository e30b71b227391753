package org.bilevel4j.solver.composite;

import java.util.List;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/**
 * The state shared by the joint-variable methods: the reported point (X, Y), its Psi1 and Psi2,
 * the method's own auxiliary point, and a scalar per method (the Tikhonov weight eps or BiG-SAM's
 * alpha).
 *
 * <p>Thread-safety: not thread-safe; one state belongs to one run, driven from one thread.
 */
public final class CompositeState implements SolverState<BlockIterate> {

    /** Trace column: the upper-level objective Psi1 at the reported point. */
    public static final String PSI1 = "psi1";
    /** Trace column: the lower-level objective Psi2 at the reported point. */
    public static final String PSI2 = "psi2";
    /** Trace column: the method's scalar (the Tikhonov weight eps, BiG-SAM's alpha). */
    public static final String WEIGHT = "weight";
    /** Trace column: the method's stationarity residual. */
    public static final String RESIDUAL = "residual";
    /** Trace column: the number of adaptive restarts so far. */
    public static final String RESTARTS = "restarts";

    private static final List<String> COLUMNS = List.of(PSI1, PSI2, WEIGHT, RESIDUAL, RESTARTS);

    final BlockCompositeBilevelProblem problem;
    final DMatrixRMaj x;
    final DMatrixRMaj y;
    /** the previous iterate (FISTA) or the mixed point (BiG-SAM) */
    final DMatrixRMaj xAux;
    final DMatrixRMaj yAux;
    final DMatrixRMaj xMom;
    final DMatrixRMaj yMom;
    final DMatrixRMaj gx;
    final DMatrixRMaj gy;
    final DMatrixRMaj gx2;
    final DMatrixRMaj gy2;
    private final DMatrixRMaj xGood;
    private final DMatrixRMaj yGood;
    int iteration;
    int stageIteration;
    double psi1;
    double psi2;
    double weight;
    double residual = Double.NaN;
    double momentum = 1.0;
    int restarts;
    boolean done;
    /** Tikhonov: Psi1 at the start of the current window of the upper-progress test */
    double windowPsi1;
    /** Tikhonov: whether Psi1 stopped improving over the last completed window of the stage */
    boolean upperStalled;
    /** Tikhonov's summed terms for {@link #cachedEps} */
    org.bilevel4j.function.BoxedQuadratic fx;
    org.bilevel4j.function.BoxedQuadratic fy;
    double cachedEps = Double.NaN;
    private double psi1Good;
    private double psi2Good;

    CompositeState(BlockCompositeBilevelProblem problem, BlockIterate start) {
        this.problem = problem;
        problem.coupling().checkShapes(start.x(), start.y());
        if (!MatOps.isFinite(start.x()) || !MatOps.isFinite(start.y())) {
            throw new IllegalArgumentException("start point has non-finite entries");
        }
        x = start.x().copy();
        y = start.y().copy();
        xAux = x.copy();
        yAux = y.copy();
        xMom = x.copy();
        yMom = y.copy();
        gx = new DMatrixRMaj(x.numRows, x.numCols);
        gy = new DMatrixRMaj(y.numRows, y.numCols);
        gx2 = new DMatrixRMaj(x.numRows, x.numCols);
        gy2 = new DMatrixRMaj(y.numRows, y.numCols);
        xGood = x.copy();
        yGood = y.copy();
        evaluate();
    }

    void evaluate() {
        double h = problem.coupling().value(x, y);
        psi1 = problem.f1().value(x) + problem.g1().value(y) + h;
        psi2 = problem.f2().value(x) + problem.g2().value(y) + h;
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return Psi1 at the reported point */
    public double psi1() {
        return psi1;
    }

    /** @return Psi2 at the reported point */
    public double psi2() {
        return psi2;
    }

    /** @return the method's weight: eps of Tikhonov, alpha of BiG-SAM */
    public double weight() {
        return weight;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = psi1;
        out[1] = psi2;
        out[2] = weight;
        out[3] = residual;
        out[4] = restarts;
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
        xGood.setTo(x);
        yGood.setTo(y);
        psi1Good = psi1;
        psi2Good = psi2;
    }

    @Override
    public void rollback() {
        x.setTo(xGood);
        y.setTo(yGood);
        psi1 = psi1Good;
        psi2 = psi2Good;
    }

    @Override
    public BlockIterate solution() {
        return new BlockIterate(x, y);
    }

    @Override
    public boolean converged() {
        return done;
    }
}
