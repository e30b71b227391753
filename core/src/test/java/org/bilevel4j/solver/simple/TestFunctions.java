package org.bilevel4j.solver.simple;

import java.util.OptionalDouble;
import org.bilevel4j.function.AbstractProxFunction;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/** Small smooth functions with known gradients for the simple bilevel solver tests. */
final class TestFunctions {

    private TestFunctions() {
    }

    static DMatrixRMaj vec(double... v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    /** {@code f(x) = <a, x>}, gradient a everywhere. */
    static SmoothFunction linear(DMatrixRMaj a) {
        DMatrixRMaj c = a.copy();
        return new SmoothFunction() {
            @Override
            public double value(DMatrixRMaj x) {
                return MatOps.dot(c, x);
            }

            @Override
            public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
                System.arraycopy(c.data, 0, gradient.data, 0, c.getNumElements());
                return MatOps.dot(c, x);
            }

            @Override
            public OptionalDouble lipschitzConstant() {
                return OptionalDouble.of(0);
            }
        };
    }

    /** {@code f(x) = 1/2 ||x - c||^2}. */
    static SmoothFunction halfSqrDistance(DMatrixRMaj center) {
        DMatrixRMaj c = center.copy();
        return new SmoothFunction() {
            @Override
            public double value(DMatrixRMaj x) {
                double d = MatOps.distance(x, c);
                return 0.5 * d * d;
            }

            @Override
            public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
                MatOps.combine(1, x, -1, c, gradient);
                return 0.5 * MatOps.normSq(gradient);
            }

            @Override
            public OptionalDouble lipschitzConstant() {
                return OptionalDouble.of(1);
            }
        };
    }

    /** {@code g(x) = 1/2 (<a, x> - b)^2}, minimized on a hyperplane. */
    static SmoothFunction halfSqrResidual(DMatrixRMaj a, double b) {
        DMatrixRMaj c = a.copy();
        return new SmoothFunction() {
            @Override
            public double value(DMatrixRMaj x) {
                double r = MatOps.dot(c, x) - b;
                return 0.5 * r * r;
            }

            @Override
            public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
                double r = MatOps.dot(c, x) - b;
                MatOps.combine(r, c, 0, c, gradient);
                return 0.5 * r * r;
            }

            @Override
            public OptionalDouble lipschitzConstant() {
                return OptionalDouble.of(MatOps.normSq(c));
            }
        };
    }

    /** The indicator of the box [lo, hi]^n (test-only; core's IndBox may differ). */
    static final class Box extends AbstractProxFunction {
        private final double lo;
        private final double hi;

        Box(double lo, double hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public double value(DMatrixRMaj x) {
            for (double v : x.data) {
                if (!(v >= lo && v <= hi)) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            return 0;
        }

        @Override
        protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
            for (int i = 0; i < x.getNumElements(); i++) {
                out.data[i] = Math.min(hi, Math.max(lo, x.data[i]));
            }
            return 0;
        }

        @Override
        public boolean isConvex() {
            return true;
        }

        @Override
        public boolean isSetIndicator() {
            return true;
        }
    }
}
