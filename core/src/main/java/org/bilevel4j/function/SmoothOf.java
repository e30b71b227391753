package org.bilevel4j.function;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * A {@link SmoothFunction} made of a value function and a gradient function, the implementation
 * behind {@link SmoothFunction#of}. Immutable; thread-safe exactly when the two functions are.
 */
final class SmoothOf implements SmoothFunction {

    private final ToDoubleFunction<DMatrixRMaj> value;
    private final BiConsumer<DMatrixRMaj, DMatrixRMaj> gradient;
    private final double lipschitz;

    SmoothOf(ToDoubleFunction<DMatrixRMaj> value, BiConsumer<DMatrixRMaj, DMatrixRMaj> gradient, double lipschitz) {
        this.value = Objects.requireNonNull(value, "value function");
        this.gradient = Objects.requireNonNull(gradient, "gradient function");
        if (!Double.isNaN(lipschitz) && (!(lipschitz >= 0) || Double.isInfinite(lipschitz))) {
            throw new IllegalArgumentException("the Lipschitz constant must be nonnegative and finite, got "
                    + lipschitz);
        }
        this.lipschitz = lipschitz;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return value.applyAsDouble(x);
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj out) {
        if (out.numRows != x.numRows || out.numCols != x.numCols) {
            throw new IllegalArgumentException("gradient buffer is " + out.numRows + "x" + out.numCols
                    + ", the point is " + x.numRows + "x" + x.numCols);
        }
        gradient.accept(x, out);
        return value.applyAsDouble(x);
    }

    @Override
    public void gradient(DMatrixRMaj x, DMatrixRMaj out) {
        gradient.accept(x, out);
    }

    @Override
    public OptionalDouble lipschitzConstant() {
        return Double.isNaN(lipschitz) ? OptionalDouble.empty() : OptionalDouble.of(lipschitz);
    }

    @Override
    public String toString() {
        return "SmoothFunction.of(..." + (Double.isNaN(lipschitz) ? "" : ", L=" + lipschitz) + ")";
    }
}
