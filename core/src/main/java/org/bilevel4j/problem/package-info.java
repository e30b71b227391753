/**
 * Problem classes as data plus functions: the two-block composite bilevel problem of BINNO with its
 * {@link org.bilevel4j.problem.BlockCoupling} (for example the factorization coupling
 * {@code 1/2 ||XY - M||^2}), and the points it is solved over; the bilevel minimax template
 * {@link org.bilevel4j.problem.MinimaxBilevelProblem} over {@link org.bilevel4j.problem.Box} domains,
 * constrained lower levels in that template by Lagrangian duality
 * ({@link org.bilevel4j.problem.ConstrainedLowerLevel}), minibatch gradients
 * ({@link org.bilevel4j.problem.LowerGradientSampler}) and plain minimax problems
 * ({@link org.bilevel4j.problem.SaddleProblem}).
 */
package org.bilevel4j.problem;
