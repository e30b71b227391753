package org.bilevel4j.solver.meha;

import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.LowerHessianProducts;
import org.ejml.data.DMatrixRMaj;

/**
 * {@link LowerHessianProducts} by central differences of the lower level's gradients along the
 * direction, two gradient evaluations per product:
 * <pre>
 *   grad^2_yy f(x, y) v ~ [grad_y f(x, y + h v) - grad_y f(x, y - h v)] / (2 h)
 *   grad^2_xy f(x, y) w ~ [grad_x f(x, y + h w) - grad_x f(x, y - h w)] / (2 h)
 * </pre>
 * with {@code h = cbrt(eps) max(1, ||y||) / ||v||}, which balances truncation and rounding errors
 * (error of order {@code eps^(2/3)} relative). Exact up to rounding for a lower level quadratic in y.
 * Not thread-safe (it keeps work buffers).
 */
public final class FiniteDifferenceHessianProducts implements LowerHessianProducts {

    private static final double CBRT_EPS = Math.cbrt(Math.ulp(1.0));

    private final BilevelProblem problem;
    private final DMatrixRMaj yPlus;
    private final DMatrixRMaj yMinus;
    private final DMatrixRMaj gyMinus;
    private final DMatrixRMaj gxMinus;

    /** @param problem the problem whose smooth lower level f is differentiated */
    public FiniteDifferenceHessianProducts(BilevelProblem problem) {
        this.problem = Objects.requireNonNull(problem, "problem");
        yPlus = new DMatrixRMaj(problem.yRows(), problem.yCols());
        yMinus = new DMatrixRMaj(problem.yRows(), problem.yCols());
        gyMinus = new DMatrixRMaj(problem.yRows(), problem.yCols());
        gxMinus = new DMatrixRMaj(problem.xRows(), problem.xCols());
    }

    /** @return the step h for direction d at y, or 0 when d = 0 */
    private double stepFor(DMatrixRMaj y, DMatrixRMaj d) {
        double nd = Math.sqrt(MatOps.normSq(d));
        if (nd == 0) {
            return 0;
        }
        return CBRT_EPS * Math.max(1.0, Math.sqrt(MatOps.normSq(y))) / nd;
    }

    @Override
    public void hessianYY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj v, DMatrixRMaj out) {
        double h = stepFor(y, v);
        if (h == 0) {
            out.zero();
            return;
        }
        MatOps.combine(1.0, y, h, v, yPlus);
        MatOps.combine(1.0, y, -h, v, yMinus);
        problem.lowerSmoothGradientY(x, yPlus, out);
        problem.lowerSmoothGradientY(x, yMinus, gyMinus);
        MatOps.combine(1.0 / (2 * h), out, -1.0 / (2 * h), gyMinus, out);
    }

    @Override
    public void crossXY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w, DMatrixRMaj out) {
        double h = stepFor(y, w);
        if (h == 0) {
            out.zero();
            return;
        }
        MatOps.combine(1.0, y, h, w, yPlus);
        MatOps.combine(1.0, y, -h, w, yMinus);
        problem.lowerSmoothGradientX(x, yPlus, out);
        problem.lowerSmoothGradientX(x, yMinus, gxMinus);
        MatOps.combine(1.0 / (2 * h), out, -1.0 / (2 * h), gxMinus, out);
    }
}
