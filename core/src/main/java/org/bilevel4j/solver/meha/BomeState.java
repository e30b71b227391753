package org.bilevel4j.solver.meha;

import java.util.List;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/** The state of a {@link Bome} run: (x, y), work buffers and the numbers of the last iteration. */
public final class BomeState extends PairState {

    static final List<String> COLUMNS = List.of("F", "phi", "q", "lambda", "grad_q_norm");

    final DMatrixRMaj yT;
    final DMatrixRMaj yWork;
    final DMatrixRMaj gyF;
    final DMatrixRMaj gyQ;
    final DMatrixRMaj gy;
    final DMatrixRMaj gxF;
    final DMatrixRMaj gxQ;
    final DMatrixRMaj gx;
    double upperValue;
    double lowerValue;
    double q = Double.NaN;
    double lambda = Double.NaN;
    double gradQNorm = Double.NaN;

    BomeState(BilevelProblem problem, PairIterate start) {
        super(problem, start, COLUMNS);
        yT = new DMatrixRMaj(y.numRows, y.numCols);
        yWork = new DMatrixRMaj(y.numRows, y.numCols);
        gyF = new DMatrixRMaj(y.numRows, y.numCols);
        gyQ = new DMatrixRMaj(y.numRows, y.numCols);
        gy = new DMatrixRMaj(y.numRows, y.numCols);
        gxF = new DMatrixRMaj(x.numRows, x.numCols);
        gxQ = new DMatrixRMaj(x.numRows, x.numCols);
        gx = new DMatrixRMaj(x.numRows, x.numCols);
        evaluate();
    }

    void evaluate() {
        upperValue = problem.upperValue(x, y);
        lowerValue = problem.lowerValue(x, y);
    }

    /** @return {@code F(x, y)} at the current point */
    public double upperValue() {
        return upperValue;
    }

    /** @return {@code phi(x, y)} at the current point */
    public double lowerValue() {
        return lowerValue;
    }

    @Override
    void ownTraceValues(double[] out) {
        out[0] = upperValue;
        out[1] = lowerValue;
        out[2] = q;
        out[3] = lambda;
        out[4] = gradQNorm;
    }

    @Override
    public double[] objectives() {
        return new double[] {upperValue, lowerValue};
    }

    /** @return {@code F} and {@code phi}, the names of {@link #objectives()} */
    @Override
    public List<String> objectiveNames() {
        return List.of("F", "phi");
    }

    @Override
    public boolean isFinite() {
        return super.isFinite() && Double.isFinite(upperValue) && Double.isFinite(lowerValue);
    }

    @Override
    void rollbackMore() {
        evaluate();
    }
}
