package org.bilevel4j.apps.video;

import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs the BINNO method of the video experiment somewhere other than this process's threads: the
 * spark module's implementation runs it on a Spark cluster, with M split in row blocks. The problem
 * is the experiment's: {@code H = 1/2 ||XY - M||^2}, upper level {@code lambda (||X||_1 + ||Y||_1)},
 * lower level {@code gamma (||X||_* + ||Y||_*)}, midpoint weights.
 */
public interface BinnoRunner {

    /** @return where it runs, for reports ("Spark local[2], 4 row blocks", say) */
    String describe();

    /**
     * @param m the observed matrix (not modified)
     * @param rank r
     * @param lambda the l1 weights
     * @param gamma the nuclear-norm weights
     * @param start the start point
     * @param options the solver options
     * @param listener progress
     * @return the run, its solution collected on this machine
     */
    Result<BlockIterate> solve(DMatrixRMaj m, int rank, double lambda, double gamma, BlockIterate start,
            SolverOptions options, IterationListener listener);
}
