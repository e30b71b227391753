/**
 * Simple-bilevel methods that treat the two blocks (X, Y) of a
 * {@link org.bilevel4j.problem.BlockCompositeBilevelProblem} as one variable: Tikhonov continuation
 * ({@link org.bilevel4j.solver.composite.TikhonovContinuation}) and BiG-SAM
 * ({@link org.bilevel4j.solver.composite.BigSam}). Both assume a convex lower level.
 */
package org.bilevel4j.solver.composite;
