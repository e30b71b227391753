package org.bilevel4j.apps.toys;

import java.util.OptionalDouble;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code f(x) = 1/2 ||x - c||^2}, {@code grad f(x) = x - c}; convex, gradient Lipschitz with 1.
 * (To be replaced by core's {@code SqrNormL2} translated by {@code c} once that lands.)
 */
public final class HalfSqrDistance implements SmoothFunction {

    private final DMatrixRMaj center;

    /** @param center the point c, copied; finite */
    public HalfSqrDistance(DMatrixRMaj center) {
        if (!MatOps.isFinite(center)) {
            throw new IllegalArgumentException("center must be finite");
        }
        this.center = center.copy();
    }

    /** @return a copy of c */
    public DMatrixRMaj center() {
        return center.copy();
    }

    @Override
    public double value(DMatrixRMaj x) {
        MatOps.checkSameShape(x, center);
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double t = x.data[i] - center.data[i];
            s += t * t;
        }
        return 0.5 * s;
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        MatOps.checkSameShape(x, center);
        MatOps.combine(1.0, x, -1.0, center, gradient);
        return 0.5 * MatOps.normSq(gradient);
    }

    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(1.0);
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isStronglyConvex() {
        return true;
    }

    @Override
    public String toString() {
        return "HalfSqrDistance" + java.util.Arrays.toString(center.data);
    }
}
