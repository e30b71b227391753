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
}
