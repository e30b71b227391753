/**
 * Test fixtures shared through core's test-jar: the contract tests {@link
 * org.bilevel4j.testing.ProxContract} and {@link org.bilevel4j.testing.SmoothContract}, the
 * finite-difference {@link org.bilevel4j.testing.GradientCheck}, the brute-force reference
 * {@link org.bilevel4j.testing.BruteForceProx}, and seeded random matrices in
 * {@link org.bilevel4j.testing.TestMatrices}.
 */
package org.bilevel4j.testing;
