package org.bilevel4j.function;

import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * A differentiable function {@code f} with a gradient that can be evaluated together with its value.
 *
 * <p>Write one in a line with {@link #of(ToDoubleFunction, BiConsumer)}, use a ready-made one
 * ({@link LeastSquares}, {@link Quadratic}, {@link SqrNormL2}, {@link SmoothL1}, {@link LogPenalty}),
 * and check its gradient with {@link GradientCheck}.
 *
 * <p>Thread-safety: the functions of this package are immutable and safe to call from several
 * threads at once; a function built with {@link #of} is as safe as the lambdas it is built from.
 */
public interface SmoothFunction extends FunctionTraits {

    /**
     * @param x the point, not modified
     * @return {@code f(x)}
     */
    double value(DMatrixRMaj x);

    /**
     * Computes the value and the gradient in one pass.
     *
     * @param x the point, not modified
     * @param gradient modified: receives {@code grad f(x)}, same shape as {@code x}, must not alias it
     * @return {@code f(x)}
     */
    double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient);

    /**
     * Gradient only; default delegates to {@link #valueAndGradient}.
     *
     * @param x the point, not modified
     * @param gradient modified: receives {@code grad f(x)}, same shape as {@code x}
     */
    default void gradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        valueAndGradient(x, gradient);
    }

    /**
     * @return a global Lipschitz constant of the gradient in the Frobenius norm, or empty when none is
     *     known (a quartic, say)
     */
    default OptionalDouble lipschitzConstant() {
        return OptionalDouble.empty();
    }

    @Override
    default boolean isSmooth() {
        return true;
    }

    /**
     * A smooth function from its value and its gradient, for example
     * <pre>{@code
     * SmoothFunction f = SmoothFunction.of(
     *         x -> 0.5 * (x.get(0) - 1) * (x.get(0) - 1),          // f(x) = 1/2 (x_0 - 1)^2
     *         (x, g) -> g.set(0, x.get(0) - 1));                    // grad f(x) = x_0 - 1
     * }</pre>
     * {@link #valueAndGradient} calls {@code gradient} and then {@code value}. No Lipschitz constant
     * is declared (solvers that need one ask for it); no trait (convexity) is claimed.
     *
     * @param value {@code x -> f(x)}; must not modify x
     * @param gradient {@code (x, out) -> out = grad f(x)}; must not modify x, writes every entry of out
     *     (same shape as x)
     * @return the function
     */
    static SmoothFunction of(ToDoubleFunction<DMatrixRMaj> value, BiConsumer<DMatrixRMaj, DMatrixRMaj> gradient) {
        return new SmoothOf(value, gradient, Double.NaN);
    }

    /**
     * A smooth function from its value, its gradient and a known Lipschitz constant {@code L} of the
     * gradient: {@code ||grad f(x) - grad f(z)|| <= L ||x - z||} (Frobenius norms) for all x, z.
     * Solvers use L to check or pick their steps; {@link GradientCheck#lipschitzRatio} estimates it.
     *
     * @param value {@code x -> f(x)}; must not modify x
     * @param gradient {@code (x, out) -> out = grad f(x)}; must not modify x
     * @param lipschitz the constant L, nonnegative and finite
     * @return the function
     * @throws IllegalArgumentException if L is negative or not finite
     */
    static SmoothFunction of(ToDoubleFunction<DMatrixRMaj> value, BiConsumer<DMatrixRMaj, DMatrixRMaj> gradient,
            double lipschitz) {
        if (Double.isNaN(lipschitz)) {
            throw new IllegalArgumentException("the Lipschitz constant must be nonnegative and finite, got NaN");
        }
        return new SmoothOf(value, gradient, lipschitz);
    }
}
