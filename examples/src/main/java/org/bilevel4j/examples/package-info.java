/**
 * Short programs that use bilevel4j as a library, one per method, each on a problem with a
 * closed-form answer (the tests in this module assert it; {@code mvn verify} runs them). Run one
 * from an IDE, or with {@code java -cp} on the module's classes and its dependencies; each
 * {@code main} prints what it found next to the closed form.
 *
 * <ul>
 *   <li>{@link org.bilevel4j.examples.MinimumNormDbgd}: the minimum-norm least-squares solution by DBGD;</li>
 *   <li>{@link org.bilevel4j.examples.LassoHyperparameterMeha}: a soft-threshold (lasso-type) lower level
 *       and its weight chosen by MEHA;</li>
 *   <li>{@link org.bilevel4j.examples.BinnoOnMatrixFile}: BINNO on a user's matrix file;</li>
 *   <li>{@link org.bilevel4j.examples.PenaltyMinimaxScalar}: a scalar bilevel problem by the penalty
 *       minimax method, whose error falls like 1/rho.</li>
 * </ul>
 */
package org.bilevel4j.examples;
