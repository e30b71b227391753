/**
 * Synthetic test problems with known solutions that double as tests: the bilevel minimax problems T1
 * to T5 ({@link org.bilevel4j.apps.toys.MinimaxToys}), finite-sum T1 for the stochastic variant, a
 * golden-section search for T5's reference, and {@link org.bilevel4j.apps.toys.MinimaxExperiment}, the
 * runner behind {@code bilevel4j minimax}; the circle toy of DBGD; and the synthetic bilevel problems
 * of the MEHA paper (merely convex, nonconvex and l1 lower levels) with a runner that compares
 * solvers on them against the known solution without letting any solver see it.
 */
package org.bilevel4j.apps.toys;
