package org.bilevel4j.solver.simple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/**
 * The state shared by the simple bilevel solvers ({@link Dbgd}, {@link PenaltyMethod}, {@link Bloop}):
 * the iterate {@code x_k}, both gradients there, the stationarity measures, and the direction
 * {@code d_k} with the multiplier that the solver will use for the next update. Every number it
 * reports refers to the same point {@code x_k}.
 *
 * <p>Trace columns, the same for the three solvers:
 * <dl>
 *   <dt>{@code f}, {@code g}</dt><dd>the two objectives at {@code x_k}</dd>
 *   <dt>{@code grad_g_norm}</dt><dd>{@code ||grad g(x_k)||}</dd>
 *   <dt>{@code grad_f_perp_norm}</dt><dd>{@code ||pi(grad f; grad g)||}, see {@link SimpleBilevelMeasures}</dd>
 *   <dt>{@code cos_theta}</dt><dd>cosine of the angle between {@code grad f} and {@code grad g} (NaN if one vanishes)</dd>
 *   <dt>{@code lambda}</dt><dd>DBGD's multiplier {@code lambda_k}; the penalty's {@code gamma}; BLOOP's {@code lam}</dd>
 *   <dt>{@code d_norm}</dt><dd>{@code ||d_k||}, the norm of the update direction (with a simple set: the norm of the
 *       gradient mapping {@code (x_k - P(x_k - eta d_k)) / eta})</dd>
 *   <dt>{@code best_grad_g_norm}, {@code best_d_norm}</dt><dd>the running minima over {@code x_0 .. x_k}
 *       (DBGD's guarantee is for the best iterate)</dd>
 * </dl>
 * The accessors return views of live buffers: read them, do not modify them.
 *
 * <p>Thread-safety: not thread-safe; one state belongs to one run, driven from one thread.
 */
public final class SimpleBilevelState implements SolverState<DMatrixRMaj> {

    /** Trace column: the upper-level objective {@code f(x_k)}. */
    public static final String F = "f";
    /** Trace column: the lower-level objective {@code g(x_k)}. */
    public static final String G = "g";
    /** Trace column: {@code ||grad g(x_k)||}. */
    public static final String GRAD_G_NORM = "grad_g_norm";
    /** Trace column: {@code ||pi(grad f; grad g)||}. */
    public static final String GRAD_F_PERP_NORM = "grad_f_perp_norm";
    /** Trace column: the cosine of the angle between the two gradients. */
    public static final String COS_THETA = "cos_theta";
    /** Trace column: DBGD's multiplier, the penalty's gamma, BLOOP's lam. */
    public static final String LAMBDA = "lambda";
    /** Trace column: {@code ||d_k||} (the gradient-mapping norm with a simple set). */
    public static final String D_NORM = "d_norm";
    /** Trace column: the running minimum of {@code ||grad g||}. */
    public static final String BEST_GRAD_G_NORM = "best_grad_g_norm";
    /** Trace column: the running minimum of {@code ||d||}. */
    public static final String BEST_D_NORM = "best_d_norm";

    /** The trace columns of every simple bilevel solver, in order. */
    public static final List<String> COLUMNS = List.of(F, G, GRAD_G_NORM, GRAD_F_PERP_NORM, COS_THETA, LAMBDA,
            D_NORM, BEST_GRAD_G_NORM, BEST_D_NORM);

    final SimpleBilevelProblem problem;
    final Stationarity stationarity;
    DMatrixRMaj x;
    DMatrixRMaj next;
    final DMatrixRMaj good;
    final DMatrixRMaj gradF;
    final DMatrixRMaj gradG;
    final DMatrixRMaj perp;
    final DMatrixRMaj d;
    /** work buffer for g's gradient mapping; null without a simple set */
    private final DMatrixRMaj work;
    /** BLOOP's moving average of grad g; null for the other solvers. */
    DMatrixRMaj average;

    int iteration;
    double f;
    double g;
    double gradGNormSq;
    double gradGNorm;
    double gradFNorm;
    double inner;
    double perpNorm;
    double cosTheta;
    double lambda = Double.NaN;
    double phi = Double.NaN;
    double step = Double.NaN;
    double dNorm = Double.NaN;
    double gradGMappingNorm = Double.NaN;
    double bestGradGNorm = Double.POSITIVE_INFINITY;
    double bestDNorm = Double.POSITIVE_INFINITY;
    private final double[] objectives = new double[4];
    /** Warnings of the solver's checks at the start (step against the Lipschitz constants). */
    final List<String> warnings = new ArrayList<>();

    SimpleBilevelState(SimpleBilevelProblem problem, DMatrixRMaj start, Stationarity stationarity) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.stationarity = Objects.requireNonNull(stationarity, "stationarity");
        problem.checkStart(start);
        x = start.copy();
        int rows = start.numRows;
        int cols = start.numCols;
        next = new DMatrixRMaj(rows, cols);
        good = new DMatrixRMaj(rows, cols);
        gradF = new DMatrixRMaj(rows, cols);
        gradG = new DMatrixRMaj(rows, cols);
        perp = new DMatrixRMaj(rows, cols);
        d = new DMatrixRMaj(rows, cols);
        work = problem.isConstrained() ? new DMatrixRMaj(rows, cols) : null;
        try {
            evaluate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("evaluating f and g at the start point (" + rows + "x" + cols
                    + ") failed: " + e.getMessage() + (problem.shape().isPresent() ? ""
                            : " (is the start of the right shape? SimpleBilevelProblem.withShape(rows, cols) lets"
                                    + " the problem check it)"), e);
        }
    }

    /** Evaluates f, g, both gradients and the measures at {@code x}. */
    void evaluate() {
        f = problem.upper().valueAndGradient(x, gradF);
        g = problem.lower().valueAndGradient(x, gradG);
        gradGNormSq = MatOps.normSq(gradG);
        gradGNorm = Math.sqrt(gradGNormSq);
        gradFNorm = Math.sqrt(MatOps.normSq(gradF));
        inner = MatOps.dot(gradF, gradG);
        perpNorm = SimpleBilevelMeasures.orthogonalPart(gradF, gradG, inner, gradGNormSq, perp);
        cosTheta = SimpleBilevelMeasures.cosTheta(inner, gradFNorm, gradGNorm);
    }

    /**
     * Finishes a solver's direction: {@code d} holds {@code d_k}; computes the next iterate
     * {@code P(x_k - stepSize d_k)}, {@code ||d_k||}, the lower level's stationarity measure and the
     * running minima. With a simple set C the lower level's measure is the norm of its gradient mapping
     * {@code ||x_k - P(x_k - eta grad g(x_k))|| / eta} (zero exactly at the stationary points of g on C,
     * where {@code grad g} itself need not vanish: a minimizer on the boundary of C), with the step eta
     * of the update; without a set it is {@code ||grad g(x_k)||}.
     */
    void setDirection(double multiplier, double barrier, double stepSize) {
        lambda = multiplier;
        phi = barrier;
        step = stepSize;
        MatOps.combine(1.0, x, -stepSize, d, next);
        if (problem.isConstrained()) {
            problem.project(next, next);
            dNorm = MatOps.distance(x, next) / stepSize;
            MatOps.combine(1.0, x, -stepSize, gradG, work);
            problem.project(work, work);
            gradGMappingNorm = MatOps.distance(x, work) / stepSize;
        } else {
            dNorm = Math.sqrt(MatOps.normSq(d));
            gradGMappingNorm = gradGNorm;
        }
        bestGradGNorm = Math.min(bestGradGNorm, gradGNorm);
        bestDNorm = Math.min(bestDNorm, dNorm);
    }

    /** Moves to the iterate prepared by {@link #setDirection} and evaluates it. */
    void advance() {
        DMatrixRMaj t = x;
        x = next;
        next = t;
        iteration++;
        evaluate();
    }

    /** @return completed updates k */
    public int iteration() {
        return iteration;
    }

    /** @return the iterate {@code x_k} (a view) */
    public DMatrixRMaj x() {
        return x;
    }

    /** @return {@code grad f(x_k)} (a view) */
    public DMatrixRMaj gradF() {
        return gradF;
    }

    /** @return {@code grad g(x_k)} (a view) */
    public DMatrixRMaj gradG() {
        return gradG;
    }

    /** @return {@code grad f_perp = pi(grad f; grad g)} at {@code x_k} (a view) */
    public DMatrixRMaj gradFPerp() {
        return perp;
    }

    /** @return the direction {@code d_k} of the next update {@code x_{k+1} = P(x_k - eta d_k)} (a view) */
    public DMatrixRMaj direction() {
        return d;
    }

    /** @return {@code f(x_k)} */
    public double f() {
        return f;
    }

    /** @return {@code g(x_k)} */
    public double g() {
        return g;
    }

    /** @return {@code ||grad g(x_k)||} */
    public double gradGNorm() {
        return gradGNorm;
    }

    /** @return {@code ||grad f_perp(x_k)||} */
    public double gradFPerpNorm() {
        return perpNorm;
    }

    /** @return {@code cos(theta)} at {@code x_k}, NaN when a gradient vanishes */
    public double cosTheta() {
        return cosTheta;
    }

    /** @return the multiplier column: DBGD's {@code lambda_k}, the penalty's gamma, BLOOP's lam */
    public double lambda() {
        return lambda;
    }

    /** @return DBGD's barrier {@code phi(x_k)}; NaN for the other solvers */
    public double phi() {
        return phi;
    }

    /** @return the step of the next update */
    public double stepSize() {
        return step;
    }

    /** @return {@code ||d_k||} (the gradient-mapping norm with a simple set) */
    public double dNorm() {
        return dNorm;
    }

    /** @return {@code min_{i <= k} ||grad g(x_i)||} */
    public double bestGradGNorm() {
        return bestGradGNorm;
    }

    /**
     * @return the lower level's stationarity measure at {@code x_k} that the stop test uses: with a simple
     *     set the norm of g's gradient mapping {@code ||x_k - P(x_k - eta grad g)|| / eta}, else
     *     {@code ||grad g(x_k)||} (see {@link #setDirection})
     */
    public double gradGMappingNorm() {
        return gradGMappingNorm;
    }

    /** @return {@code min_{i <= k} ||d_i||} */
    public double bestDNorm() {
        return bestDNorm;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = f;
        out[1] = g;
        out[2] = gradGNorm;
        out[3] = perpNorm;
        out[4] = cosTheta;
        out[5] = lambda;
        out[6] = dNorm;
        out[7] = bestGradGNorm;
        out[8] = bestDNorm;
    }

    /**
     * The values watched by the driver's relative-change test: {@code f}, {@code g},
     * {@code ||grad g||} and {@code ||d||}. Watching f and g alone would stop runs too early: near a
     * solution both can be flat to second order along the slowest direction (the penalty method on a
     * quadratic, moving along the lower-level solution set), so they stop changing to the last bit
     * while x still moves; the gradient norms change to first order.
     */
    @Override
    public double[] objectives() {
        objectives[0] = f;
        objectives[1] = g;
        objectives[2] = gradGNorm;
        objectives[3] = dNorm;
        return objectives;
    }

    /** @return {@code f}, {@code g}, {@code grad_g_norm}, {@code d_norm}: the names of {@link #objectives()} */
    @Override
    public List<String> objectiveNames() {
        return List.of(F, G, GRAD_G_NORM, D_NORM);
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public boolean isFinite() {
        return Double.isFinite(f) && Double.isFinite(g) && Double.isFinite(gradGNorm) && Double.isFinite(perpNorm)
                && Double.isFinite(dNorm) && MatOps.isFinite(x);
    }

    @Override
    public void commit() {
        System.arraycopy(x.data, 0, good.data, 0, x.getNumElements());
    }

    /** Restores the last committed iterate and re-evaluates the measures there (the direction is stale). */
    @Override
    public void rollback() {
        System.arraycopy(good.data, 0, x.data, 0, x.getNumElements());
        evaluate();
    }

    @Override
    public DMatrixRMaj solution() {
        return x.copy();
    }

    /**
     * @return whether {@code ||d|| <= eps_f} and the lower level's measure is at most {@code eps_g} at
     *     {@code x_k}: {@code ||grad g||}, or with a simple set the norm of g's gradient mapping
     *     ({@link #gradGMappingNorm()}), so that a solution on the boundary of the set can pass
     */
    @Override
    public boolean converged() {
        return stationarity.holds(dNorm, gradGMappingNorm);
    }
}
