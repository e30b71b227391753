/**
 * Penalty methods for bilevel minimax problems (Shen, He, Wang, Lin, arXiv:2605.08006, 2026, on top of
 * Lu and Mei, SIAM J. Optim. 2024): the penalty function {@link org.bilevel4j.solver.minimax.MinimaxPenalty},
 * the general minimax solver {@link org.bilevel4j.solver.minimax.MinimaxSolver} (projected extragradient
 * with per-coordinate steps; the inexact proximal-point loop for nonconvex-concave problems), the penalty
 * method {@link org.bilevel4j.solver.minimax.PenaltyMinimax} with its rho continuation, the variant
 * {@link org.bilevel4j.solver.minimax.DanskinPenaltyMinimax} (outer projected gradient on x1, inner saddle by
 * block-step extragradient or a supplied {@link org.bilevel4j.solver.minimax.InnerSaddleSolver}) for
 * {@link org.bilevel4j.problem.BlockMinimaxBilevelProblem}s with simplex blocks, and the stochastic
 * variant {@link org.bilevel4j.solver.minimax.StochasticPenaltyMinimax}.
 */
package org.bilevel4j.solver.minimax;
