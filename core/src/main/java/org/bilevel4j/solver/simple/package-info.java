/**
 * Solvers for simple bilevel problems {@code min f(x) subject to x in argmin g} with smooth, possibly
 * nonconvex {@code f} and {@code g} ({@link org.bilevel4j.problem.SimpleBilevelProblem}):
 * {@link org.bilevel4j.solver.simple.Dbgd} (dynamic barrier gradient descent) and the baselines
 * {@link org.bilevel4j.solver.simple.PenaltyMethod} and {@link org.bilevel4j.solver.simple.Bloop}.
 *
 * <p>The three share one state ({@link org.bilevel4j.solver.simple.SimpleBilevelState}), one set of
 * trace columns, and one stop test ({@link org.bilevel4j.solver.simple.Stationarity}, Definition 3.1
 * of Cao, Jiang, Hamedani, Mokhtari, arXiv:2507.23155), so their runs compare column by column. The
 * measures themselves ({@code grad f_perp}, {@code cos(theta)}, DBGD's multiplier, the Definition 3.1
 * residual) are in {@link org.bilevel4j.solver.simple.SimpleBilevelMeasures}.
 */
package org.bilevel4j.solver.simple;
