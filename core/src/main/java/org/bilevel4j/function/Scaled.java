package org.bilevel4j.function;

import java.util.Objects;
import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Positive scaling of a prox-friendly function, {@code g(X) = a f(X)}, {@code a > 0}.
 *
 * <p>Prox: {@code prox_{t g}(X) = argmin_v a f(v) + ||v - X||^2 / (2t) = prox_{(t a) f}(X)}, the prox of
 * {@code f} with the step {@code t a}. The Lipschitz constant scales by {@code a}, and every trait of
 * {@code f} carries over (a positive multiple of an indicator is the same indicator). For a
 * {@link SmoothFunction} use {@link ScaledSmooth}.
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, 2014, section 2.2
 * (postcomposition); ProximalOperators.jl {@code Postcompose}.
 */
public final class Scaled extends AbstractProxFunction implements FunctionTraits.Inherited {

    private final double scale;
    private final ProxFunction inner;

    /**
     * @param scale the factor a, finite and positive
     * @param inner the function f
     */
    public Scaled(double scale, ProxFunction inner) {
        this.scale = requirePositive("scale", scale);
        this.inner = Objects.requireNonNull(inner, "inner function");
    }

    /** @return the factor a */
    public double scale() {
        return scale;
    }

    /** @return the scaled function f */
    public ProxFunction inner() {
        return inner;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return scale * inner.value(x);
    }

    /**
     * @throws IllegalArgumentException also when {@code t a} overflows or underflows, naming the
     *     inner step
     */
    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        return scale * inner.prox(x, t * scale, out);
    }

    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        OptionalDouble l = inner.lipschitzConstant(rows, cols);
        return l.isPresent() ? OptionalDouble.of(scale * l.getAsDouble()) : l;
    }

    /** @return the scaled function f, whose traits this one has */
    @Override
    public FunctionTraits traitsSource() {
        return inner;
    }

    @Override
    public String toString() {
        return "Scaled(" + scale + ", " + inner + ")";
    }
}
