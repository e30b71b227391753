package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * A differentiable function {@code f} with a gradient that can be evaluated together with its value.
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

    /** Gradient only; default delegates to {@link #valueAndGradient}. Modified: gradient. */
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
}
