/**
 * Functions with cheap proximal operators ({@link org.bilevel4j.function.ProxFunction}) and smooth
 * functions with gradients ({@link org.bilevel4j.function.SmoothFunction}).
 *
 * <p>Naming scheme: {@code Norm*} for norms ({@code NormL1}, {@code NuclearNorm}), {@code Sqr*} for
 * squared norms ({@code SqrNormL2}), {@code Ind*} for indicators of sets ({@code IndBox},
 * {@code IndNonnegative}, {@code IndSimplex}, {@code IndBallL2}); calculus wrappers
 * ({@code Scaled}, {@code SeparableSum}) build new functions from old ones.
 *
 * <p>Prox convention: {@code prox_{t f}(x) = argmin_v f(v) + ||v - x||^2 / (2 t)}.
 */
package org.bilevel4j.function;
