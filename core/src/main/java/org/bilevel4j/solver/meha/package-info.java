/**
 * Solvers for the general bilevel problem {@link org.bilevel4j.problem.BilevelProblem}:
 * {@link org.bilevel4j.solver.meha.Meha} (Moreau envelope, single loop, Hessian free) and its
 * baselines {@link org.bilevel4j.solver.meha.Bome} (value function with a dynamic barrier) and
 * {@link org.bilevel4j.solver.meha.ImplicitHypergradient} (implicit differentiation with conjugate
 * gradient on Hessian-vector products, for smooth strongly convex lower levels).
 */
package org.bilevel4j.solver.meha;
