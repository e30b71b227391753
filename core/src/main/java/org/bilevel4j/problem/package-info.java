/**
 * Problem classes as data plus functions: the two-block composite bilevel problem of BINNO with its
 * {@link org.bilevel4j.problem.BlockCoupling} (for example the factorization coupling
 * {@code 1/2 ||XY - M||^2}); the simple bilevel problem of DBGD
 * ({@link org.bilevel4j.problem.SimpleBilevelProblem}); the general bilevel problem
 * {@link org.bilevel4j.problem.BilevelProblem} of MEHA and its baselines (upper F, lower f + g, sets X
 * and Y) with the optional second-order products {@link org.bilevel4j.problem.LowerHessianProducts};
 * the bilevel minimax template {@link org.bilevel4j.problem.MinimaxBilevelProblem} over
 * {@link org.bilevel4j.problem.Box} domains, constrained lower levels in that template by Lagrangian
 * duality ({@link org.bilevel4j.problem.ConstrainedLowerLevel}), minibatch gradients
 * ({@link org.bilevel4j.problem.LowerGradientSampler}) and plain minimax problems
 * ({@link org.bilevel4j.problem.SaddleProblem}); and the points they are solved over.
 */
package org.bilevel4j.problem;
