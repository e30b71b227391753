package org.bilevel4j.function;

/**
 * Cheap predicates about a function, used by solvers to pick defaults or reject inputs, and
 * propagated by the calculus wrappers ({@link Scaled}, {@link SeparableSum}). Every trait
 * defaults to {@code false}: a function claims only what it guarantees.
 */
public interface FunctionTraits {

    /** @return whether the function is convex. */
    default boolean isConvex() {
        return false;
    }

    /** @return whether the function is differentiable with a Lipschitz gradient. */
    default boolean isSmooth() {
        return false;
    }

    /** @return whether the function is the indicator of a set (0 inside, +infinity outside). */
    default boolean isSetIndicator() {
        return false;
    }

    /** @return whether the function is a sum of functions of the single entries. */
    default boolean isSeparable() {
        return false;
    }

    /** @return whether the function is strongly convex. */
    default boolean isStronglyConvex() {
        return false;
    }

    /**
     * A wrapper that has exactly the traits of one inner function, such as a positive multiple
     * ({@link Scaled}, {@link ScaledSmooth}): a positive factor keeps convexity, smoothness,
     * strong convexity, separability, and maps an indicator to the same indicator.
     */
    interface Inherited extends FunctionTraits {

        /** @return the function whose traits this one has */
        FunctionTraits traitsSource();

        @Override
        default boolean isConvex() {
            return traitsSource().isConvex();
        }

        @Override
        default boolean isSmooth() {
            return traitsSource().isSmooth();
        }

        @Override
        default boolean isSetIndicator() {
            return traitsSource().isSetIndicator();
        }

        @Override
        default boolean isSeparable() {
            return traitsSource().isSeparable();
        }

        @Override
        default boolean isStronglyConvex() {
            return traitsSource().isStronglyConvex();
        }
    }
}
