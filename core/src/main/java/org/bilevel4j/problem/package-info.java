/**
 * Problem classes as data plus functions: the two-block composite bilevel problem of BINNO with its
 * {@link org.bilevel4j.problem.BlockCoupling} (for example the factorization coupling
 * {@code 1/2 ||XY - M||^2}), and the points it is solved over.
 */
package org.bilevel4j.problem;
