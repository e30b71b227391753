/**
 * The loop machinery every solver shares: {@link org.bilevel4j.solver.SolverOptions}, the
 * {@link org.bilevel4j.solver.IterativeSolver} init/step protocol, the {@link org.bilevel4j.solver.Driver}
 * (stopping, timing, divergence detection, listeners), the {@link org.bilevel4j.solver.Trace} and the
 * {@link org.bilevel4j.solver.Result}.
 */
package org.bilevel4j.solver;
