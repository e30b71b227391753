/**
 * Functions of a matrix variable and their oracles: {@link org.bilevel4j.function.SmoothFunction}
 * (value and gradient) and {@link org.bilevel4j.function.ProxFunction} (value and proximal operator,
 * {@code prox_{t f}(x) = argmin_v f(v) + ||v - x||_F^2 / (2t)}), with the cheap predicates of
 * {@link org.bilevel4j.function.FunctionTraits}.
 *
 * <p>One small immutable class per function, named after the math object with a fixed prefix:
 * {@code Norm*} for norms ({@link org.bilevel4j.function.NormL1},
 * {@link org.bilevel4j.function.NuclearNorm}), {@code Sqr*} for squared norms
 * ({@link org.bilevel4j.function.SqrNormL2}), {@code Ind*} for indicators of sets
 * ({@link org.bilevel4j.function.IndBox}, {@link org.bilevel4j.function.IndNonnegative},
 * {@link org.bilevel4j.function.IndSimplex}, {@link org.bilevel4j.function.IndBallL2}); other
 * functions by name ({@link org.bilevel4j.function.Zero}, {@link org.bilevel4j.function.SmoothL1},
 * {@link org.bilevel4j.function.LogPenalty}). Calculus rules are wrappers:
 * {@link org.bilevel4j.function.Scaled} and {@link org.bilevel4j.function.ScaledSmooth},
 * {@link org.bilevel4j.function.SeparableSum}.
 *
 * <p>Adding an operator: see {@code docs/adding-a-prox.md}.
 */
package org.bilevel4j.function;
