/**
 * Synthetic test problems with known solutions that double as tests: the bilevel minimax problems T1
 * to T5 ({@link org.bilevel4j.apps.toys.MinimaxToys}), finite-sum T1 for the stochastic variant, a
 * golden-section search for T5's reference, and {@link org.bilevel4j.apps.toys.MinimaxExperiment}, the
 * runner behind {@code bilevel4j minimax}.
 */
package org.bilevel4j.apps.toys;
