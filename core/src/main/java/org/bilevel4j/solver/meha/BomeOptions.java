package org.bilevel4j.solver.meha;

/**
 * The configuration of {@link Bome}.
 *
 * @param innerSteps T, the number of (proximal-)gradient steps on {@code phi(x, .)} that give
 *     {@code y_T} and the value-function estimate {@code phi(x, y_T)}, at least 1 (paper: 10)
 * @param innerStep the step of those inner steps, positive
 * @param stepX the outer step on x, positive
 * @param stepY the outer step on y, positive (the paper uses one step for both: see
 *     {@link #of(int, double, double, double)})
 * @param eta the barrier rate of the dynamic-barrier direction, nonnegative (paper: 0.5)
 */
public record BomeOptions(int innerSteps, double innerStep, double stepX, double stepY, double eta) {

    /**
     * Validates every field.
     *
     * @param innerSteps T, the number of (proximal-)gradient steps on {@code phi(x, .)} that give {@code
     *     y_T} and the value-function estimate {@code phi(x, y_T)}, at least 1 (paper: 10)
     * @param innerStep the step of those inner steps, positive
     * @param stepX the outer step on x, positive
     * @param stepY the outer step on y, positive (the paper uses one step for both: see {@link #of(int,
     *     double, double, double)})
     * @param eta the barrier rate of the dynamic-barrier direction, nonnegative (paper: 0.5)
     */
    public BomeOptions {
        if (innerSteps < 1) {
            throw new IllegalArgumentException("innerSteps must be at least 1, got " + innerSteps);
        }
        positive("innerStep", innerStep);
        positive("stepX", stepX);
        positive("stepY", stepY);
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be finite and nonnegative, got " + eta);
        }
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
        }
    }

    /**
     * @param innerSteps the inner gradient steps on the lower level
     * @param innerStep the inner step size
     * @param step the outer step size for x and y
     * @param eta the weight eta of the BOME direction
     * @return options with one outer step for x and y
     */
    public static BomeOptions of(int innerSteps, double innerStep, double step, double eta) {
        return new BomeOptions(innerSteps, innerStep, step, step, eta);
    }

    /** @return the paper's typical settings: T = 10, eta = 0.5, with inner and outer steps 0.5 */
    public static BomeOptions paper() {
        return of(10, 0.5, 0.5, 0.5);
    }
}
