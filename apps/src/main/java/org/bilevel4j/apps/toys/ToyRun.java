package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.Result;

/**
 * One solver's run on a toy problem, with per-iteration errors against the known solution (recorded
 * by a listener that only reads the iterate) and what they say.
 *
 * @param solver the solver's name
 * @param result the run's result
 * @param iterations iteration numbers 1..K
 * @param seconds seconds of the solver's own work up to each iteration (the error bookkeeping
 *     subtracted)
 * @param xError {@code ||x - x*|| / ||x*||} per iteration
 * @param yError {@code ||y - y*|| / ||y*||} per iteration
 * @param criterion the error the toy is judged by per iteration (see {@link ToyProblem})
 * @param criterionName what {@code criterion} is
 * @param tolerance the tolerance
 * @param firstReached the first iteration with {@code criterion < tolerance}, or -1
 * @param settledFrom the iteration from which {@code criterion < tolerance} holds to the end, or -1
 * @param supportRight for the l1 toy, whether the final x has the solution's support; else null
 */
public record ToyRun(String solver, Result<PairIterate> result, int[] iterations, double[] seconds, double[] xError,
        double[] yError, double[] criterion, String criterionName, double tolerance, int firstReached,
        int settledFrom, Boolean supportRight) {

    /** @return seconds to the first iteration below the tolerance, or NaN */
    public double secondsFirstReached() {
        return firstReached < 0 ? Double.NaN : seconds[firstReached - 1];
    }

    /** @return seconds to the iteration from which it stays below the tolerance, or NaN */
    public double secondsSettled() {
        return settledFrom < 0 ? Double.NaN : seconds[settledFrom - 1];
    }

    /** @return the criterion at the last iteration */
    public double finalCriterion() {
        return criterion.length == 0 ? Double.NaN : criterion[criterion.length - 1];
    }
}
