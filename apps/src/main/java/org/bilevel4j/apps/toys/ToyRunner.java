package org.bilevel4j.apps.toys;

import java.util.Arrays;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.meha.PairState;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs a solver on a toy problem and measures its distance to the known solution at every
 * iteration. The solver never sees the solution: a listener reads the iterate after each step, and
 * the time it spends is subtracted from the reported seconds.
 */
public final class ToyRunner {

    private ToyRunner() {
    }

    /**
     * @param toy which toy
     * @param problem the toy's problem (from {@link ToyProblem#create})
     * @param solver the solver
     * @param maxIterations the iteration budget
     * @param tolerance the tolerance of the criterion
     * @param <S> the state type of the solver
     * @return the run
     */
    public static <S extends PairState> ToyRun run(ToyProblem toy, BilevelProblem problem,
            IterativeSolver<BilevelProblem, PairIterate, S> solver, int maxIterations, double tolerance) {
        PairIterate ref = problem.referenceSolution().orElseThrow();
        SolverOptions options = SolverOptions.builder().maxIterations(maxIterations).build();
        S state = solver.init(problem, toy.start(problem), options);
        Recorder rec = new Recorder(toy, state, ref, maxIterations);
        Result<PairIterate> result = Driver.run(solver, problem, state, options, rec);
        int k = rec.count;
        // a diverged run's last step is not kept by the driver: drop its record
        if (k > result.iterations()) {
            k = result.iterations();
        }
        int[] its = new int[k];
        double[] secs = new double[k];
        for (int i = 0; i < k; i++) {
            its[i] = i + 1;
            secs[i] = rec.seconds[i] - rec.overhead[i];
        }
        double[] crit = Arrays.copyOf(rec.criterion, k);
        int first = -1;
        int settled = -1;
        for (int i = 0; i < k; i++) {
            boolean ok = crit[i] < tolerance;
            if (ok && first < 0) {
                first = i + 1;
            }
            if (ok && settled < 0) {
                settled = i + 1;
            } else if (!ok) {
                settled = -1;
            }
        }
        Boolean support = toy == ToyProblem.L1 ? ((L1Toy) problem).supportRight(result.solution().x(), tolerance)
                : null;
        return new ToyRun(solver.name(), result, its, secs, Arrays.copyOf(rec.xError, k),
                Arrays.copyOf(rec.yError, k), crit, criterionName(toy), tolerance, first, settled, support);
    }

    /**
     * @param toy the toy
     * @return what the toy is judged by
     */
    public static String criterionName(ToyProblem toy) {
        return switch (toy) {
            case MERELY_CONVEX -> "max(||x - x*||/||x*||, ||y - y*||/||y*||)";
            case NONCONVEX -> "max_i |x_i - x*_i| / |x*_i|";
            case L1 -> "||y - y*||/||y*|| (x* is not unique)";
        };
    }

    /** Records the errors after every step; reads the state, never changes it. */
    private static final class Recorder implements IterationListener {
        final ToyProblem toy;
        final PairState state;
        final DMatrixRMaj xRef;
        final DMatrixRMaj yRef;
        final double[] seconds;
        final double[] overhead;
        final double[] xError;
        final double[] yError;
        final double[] criterion;
        double spent;
        int count;

        Recorder(ToyProblem toy, PairState state, PairIterate ref, int n) {
            this.toy = toy;
            this.state = state;
            xRef = ref.x();
            yRef = ref.y();
            seconds = new double[n];
            overhead = new double[n];
            xError = new double[n];
            yError = new double[n];
            criterion = new double[n];
        }

        @Override
        public void onIteration(IterationInfo info) {
            long t0 = System.nanoTime();
            int i = info.iteration() - 1;
            seconds[i] = info.seconds();
            overhead[i] = spent;
            double ex = PairState.relativeError(state.x(), xRef);
            double ey = PairState.relativeError(state.y(), yRef);
            xError[i] = ex;
            yError[i] = ey;
            criterion[i] = switch (toy) {
                case MERELY_CONVEX -> Math.max(ex, ey);
                case NONCONVEX -> maxCoordinateError(state.x(), xRef);
                case L1 -> ey;
            };
            count = i + 1;
            spent += (System.nanoTime() - t0) * 1e-9;
        }
    }

    /** @return {@code max_i |x_i - r_i| / |r_i|} over the nonzero r_i */
    static double maxCoordinateError(DMatrixRMaj x, DMatrixRMaj r) {
        double m = 0;
        for (int i = 0; i < r.getNumElements(); i++) {
            if (r.data[i] != 0) {
                double e = Math.abs(x.data[i] - r.data[i]) / Math.abs(r.data[i]);
                m = Double.isNaN(e) ? Double.NaN : Math.max(m, e);
            }
        }
        return m;
    }
}
