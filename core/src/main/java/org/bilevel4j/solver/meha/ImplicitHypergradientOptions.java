package org.bilevel4j.solver.meha;

/**
 * The configuration of {@link ImplicitHypergradient}.
 *
 * @param outerStep the gradient step on x, positive
 * @param innerStep the gradient step on {@code f(x, .)} when solving the lower level, positive
 *     (at most {@code 1/L} for a lower level whose y-gradient is L-Lipschitz)
 * @param innerMaxIterations the inner budget per outer iteration, at least 1
 * @param innerTolerance the inner stop: {@code ||grad_y f(x, y)|| <= innerTolerance}, nonnegative
 * @param cgMaxIterations the Hessian-vector-product budget of one adjoint solve, at least 1
 * @param cgTolerance the relative residual of the adjoint solve, nonnegative
 */
public record ImplicitHypergradientOptions(double outerStep, double innerStep, int innerMaxIterations,
        double innerTolerance, int cgMaxIterations, double cgTolerance) {

    /**
     * Validates every field.
     *
     * @param outerStep the gradient step on x, positive
     * @param innerStep the gradient step on {@code f(x, .)} when solving the lower level, positive (at most
     *     {@code 1/L} for a lower level whose y-gradient is L-Lipschitz)
     * @param innerMaxIterations the inner budget per outer iteration, at least 1
     * @param innerTolerance the inner stop: {@code ||grad_y f(x, y)|| <= innerTolerance}, nonnegative
     * @param cgMaxIterations the Hessian-vector-product budget of one adjoint solve, at least 1
     * @param cgTolerance the relative residual of the adjoint solve, nonnegative
     */
    public ImplicitHypergradientOptions {
        positive("outerStep", outerStep);
        positive("innerStep", innerStep);
        if (innerMaxIterations < 1) {
            throw new IllegalArgumentException("innerMaxIterations must be at least 1, got " + innerMaxIterations);
        }
        nonnegative("innerTolerance", innerTolerance);
        if (cgMaxIterations < 1) {
            throw new IllegalArgumentException("cgMaxIterations must be at least 1, got " + cgMaxIterations);
        }
        nonnegative("cgTolerance", cgTolerance);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
        }
    }

    private static void nonnegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and nonnegative, got " + v);
        }
    }
}
