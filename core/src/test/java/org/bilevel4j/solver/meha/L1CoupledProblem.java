package org.bilevel4j.solver.meha;

import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.QuadraticBilevel;
import org.ejml.data.DMatrixRMaj;

/**
 * Test problem with a nonsmooth lower level and sets: the smooth parts of {@link QuadraticBilevel},
 * {@code g(x, y) = rho (1 + ||x||^2) ||y||_1}, {@code X = [-1, 1]^n}, {@code Y = [-lim, lim]^m}.
 * prox of {@code t g(x, .) + ind_Y}: soft thresholding at {@code t rho (1 + ||x||^2)} then clipping
 * (exact for a box symmetric around 0, since both maps act per coordinate and monotonically).
 */
final class L1CoupledProblem implements BilevelProblem {

    final QuadraticBilevel smooth;
    final double rho;
    final double lim;

    L1CoupledProblem(QuadraticBilevel smooth, double rho, double lim) {
        this.smooth = smooth;
        this.rho = rho;
        this.lim = lim;
    }

    double weight(DMatrixRMaj x) {
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            s += x.data[i] * x.data[i];
        }
        return rho * (1 + s);
    }

    @Override
    public int xRows() {
        return smooth.xRows();
    }

    @Override
    public int yRows() {
        return smooth.yRows();
    }

    @Override
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        return smooth.upperValue(x, y);
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        smooth.upperGradientX(x, y, out);
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        smooth.upperGradientY(x, y, out);
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        return smooth.lowerSmoothValue(x, y);
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        smooth.lowerSmoothGradientX(x, y, out);
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        smooth.lowerSmoothGradientY(x, y, out);
    }

    @Override
    public boolean hasNonsmoothLower() {
        return true;
    }

    @Override
    public double lowerNonsmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            s += Math.abs(y.data[i]);
        }
        return weight(x) * s;
    }

    @Override
    public void lowerNonsmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        double s = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            s += Math.abs(y.data[i]);
        }
        for (int i = 0; i < x.getNumElements(); i++) {
            out.data[i] = 2 * rho * x.data[i] * s;
        }
    }

    @Override
    public double lowerProx(DMatrixRMaj x, DMatrixRMaj v, double t, DMatrixRMaj out) {
        double thr = t * weight(x);
        for (int i = 0; i < v.getNumElements(); i++) {
            double a = Math.abs(v.data[i]) - thr;
            double r = a > 0 ? Math.copySign(a, v.data[i]) : 0.0;
            out.data[i] = Math.max(-lim, Math.min(lim, r));
        }
        return lowerNonsmoothValue(x, out);
    }

    @Override
    public boolean constrainedX() {
        return true;
    }

    @Override
    public boolean constrainedY() {
        return true;
    }

    @Override
    public void projectX(DMatrixRMaj v, DMatrixRMaj out) {
        for (int i = 0; i < v.getNumElements(); i++) {
            out.data[i] = Math.max(-1, Math.min(1, v.data[i]));
        }
    }

    @Override
    public void projectY(DMatrixRMaj v, DMatrixRMaj out) {
        for (int i = 0; i < v.getNumElements(); i++) {
            out.data[i] = Math.max(-lim, Math.min(lim, v.data[i]));
        }
    }
}
