package org.bilevel4j.solver.meha;

import java.util.List;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.LowerHessianProducts;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/** The state of an {@link ImplicitHypergradient} run. */
public final class ImplicitHypergradientState extends PairState {

    static final List<String> COLUMNS = List.of("F", "hypergradient_norm", "inner_iterations",
            "inner_grad_norm", "cg_iterations", "cg_residual");

    final LowerHessianProducts hessian;
    final DMatrixRMaj gy;
    final DMatrixRMaj adjoint;
    final DMatrixRMaj hypergradient;
    double upperValue;
    double hypergradientNorm = Double.NaN;
    int innerIterations;
    double innerGradNorm = Double.NaN;
    int cgIterations;
    double cgResidual = Double.NaN;

    ImplicitHypergradientState(BilevelProblem problem, PairIterate start, LowerHessianProducts hessian) {
        super(problem, start, COLUMNS);
        this.hessian = hessian;
        gy = new DMatrixRMaj(y.numRows, y.numCols);
        adjoint = new DMatrixRMaj(y.numRows, y.numCols);
        hypergradient = new DMatrixRMaj(x.numRows, x.numCols);
        upperValue = problem.upperValue(x, y);
    }

    /** @return {@code F(x, y)} at the current point */
    public double upperValue() {
        return upperValue;
    }

    /** @return the last hypergradient (a view: do not modify) */
    public DMatrixRMaj hypergradient() {
        return hypergradient;
    }

    @Override
    void ownTraceValues(double[] out) {
        out[0] = upperValue;
        out[1] = hypergradientNorm;
        out[2] = innerIterations;
        out[3] = innerGradNorm;
        out[4] = cgIterations;
        out[5] = cgResidual;
    }

    @Override
    public double[] objectives() {
        return new double[] {upperValue};
    }

    @Override
    public boolean isFinite() {
        return super.isFinite() && Double.isFinite(upperValue);
    }

    @Override
    void rollbackMore() {
        upperValue = problem.upperValue(x, y);
    }
}
