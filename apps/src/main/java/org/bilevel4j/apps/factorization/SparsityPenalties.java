package org.bilevel4j.apps.factorization;

import java.util.OptionalDouble;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The smooth sparsity penalties of the factorization experiment (upper levels of the paper's
 * problem (25)), elementwise on a matrix of any shape:
 * <pre>
 *   smooth l1:  f(U) = sum_ij sqrt(U_ij^2 + delta^2),     grad = U_ij / sqrt(U_ij^2 + delta^2),   L = 1 / delta
 *   log:        f(U) = sum_ij log(1 + U_ij^2 / delta^2),  grad = 2 U_ij / (delta^2 + U_ij^2),      L = 2 / delta^2
 * </pre>
 * (Lipschitz constants: the largest |second derivative|, attained at U_ij = 0.) These stand in for
 * core's {@code SmoothL1} and {@code LogPenalty}, written on another branch; replace them at merge.
 */
public final class SparsityPenalties {

    private SparsityPenalties() {
    }

    /** @return {@code sum sqrt(U_ij^2 + delta^2)}, delta positive and finite */
    public static SmoothFunction smoothL1(double delta) {
        return new SmoothL1(requirePositive(delta));
    }

    /** @return {@code sum log(1 + U_ij^2 / delta^2)}, delta positive and finite */
    public static SmoothFunction log(double delta) {
        return new Log(requirePositive(delta));
    }

    private static double requirePositive(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be positive and finite, got " + delta);
        }
        return delta;
    }

    private record SmoothL1(double delta) implements SmoothFunction {

        @Override
        public double value(DMatrixRMaj u) {
            double s = 0;
            for (int i = 0; i < u.getNumElements(); i++) {
                double v = u.data[i];
                s += Math.sqrt(v * v + delta * delta);
            }
            return s;
        }

        @Override
        public double valueAndGradient(DMatrixRMaj u, DMatrixRMaj gradient) {
            MatOps.checkSameShape(u, gradient);
            double s = 0;
            for (int i = 0; i < u.getNumElements(); i++) {
                double v = u.data[i];
                double h = Math.sqrt(v * v + delta * delta);
                s += h;
                gradient.data[i] = v / h;
            }
            return s;
        }

        @Override
        public OptionalDouble lipschitzConstant() {
            return OptionalDouble.of(1.0 / delta);
        }

        @Override
        public boolean isConvex() {
            return true;
        }

        @Override
        public boolean isSeparable() {
            return true;
        }

        @Override
        public String toString() {
            return "smooth-l1(delta=" + delta + ")";
        }
    }

    private record Log(double delta) implements SmoothFunction {

        @Override
        public double value(DMatrixRMaj u) {
            double d2 = delta * delta;
            double s = 0;
            for (int i = 0; i < u.getNumElements(); i++) {
                double v = u.data[i];
                s += Math.log1p(v * v / d2);
            }
            return s;
        }

        @Override
        public double valueAndGradient(DMatrixRMaj u, DMatrixRMaj gradient) {
            MatOps.checkSameShape(u, gradient);
            double d2 = delta * delta;
            double s = 0;
            for (int i = 0; i < u.getNumElements(); i++) {
                double v = u.data[i];
                double q = v * v;
                s += Math.log1p(q / d2);
                gradient.data[i] = 2 * v / (d2 + q);
            }
            return s;
        }

        @Override
        public OptionalDouble lipschitzConstant() {
            return OptionalDouble.of(2.0 / (delta * delta));
        }

        @Override
        public boolean isSeparable() {
            return true;
        }

        @Override
        public String toString() {
            return "log(delta=" + delta + ")";
        }
    }
}
