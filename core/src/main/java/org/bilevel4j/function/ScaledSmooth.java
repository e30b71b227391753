package org.bilevel4j.function;

import java.util.Objects;
import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Positive scaling of a smooth function, {@code g(X) = a f(X)}, {@code a > 0}:
 * {@code grad g = a grad f}, and the gradient's Lipschitz constant is {@code a L_f}. Every trait of
 * {@code f} carries over. The prox-side counterpart is {@link Scaled}; for a function that is both
 * (such as {@link SqrNormL2}) scale its weight instead.
 */
public final class ScaledSmooth implements SmoothFunction, FunctionTraits.Inherited {

    private final double scale;
    private final SmoothFunction inner;

    /**
     * @param scale the factor a, finite and positive
     * @param inner the function f
     */
    public ScaledSmooth(double scale, SmoothFunction inner) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and positive, got " + scale);
        }
        this.scale = scale;
        this.inner = Objects.requireNonNull(inner, "inner function");
    }

    /** @return the factor a */
    public double scale() {
        return scale;
    }

    /** @return the scaled function f */
    public SmoothFunction inner() {
        return inner;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return scale * inner.value(x);
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        double v = inner.valueAndGradient(x, gradient);
        double[] g = gradient.data;
        for (int i = 0; i < gradient.getNumElements(); i++) {
            g[i] *= scale;
        }
        return scale * v;
    }

    @Override
    public OptionalDouble lipschitzConstant() {
        OptionalDouble l = inner.lipschitzConstant();
        return l.isPresent() ? OptionalDouble.of(scale * l.getAsDouble()) : l;
    }

    /** Both super-interfaces define it: the inner function's answer wins. */
    @Override
    public boolean isSmooth() {
        return FunctionTraits.Inherited.super.isSmooth();
    }

    /** @return the scaled function f, whose traits this one has */
    @Override
    public FunctionTraits traitsSource() {
        return inner;
    }

    @Override
    public String toString() {
        return "ScaledSmooth(" + scale + ", " + inner + ")";
    }
}
