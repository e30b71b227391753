package org.bilevel4j.solver.meha;

import java.util.List;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * The state of a {@link Meha} run: (x, y), the auxiliary variable theta, work buffers, and the
 * numbers of the last iteration.
 *
 * <p>Thread-safety: not thread-safe; one state belongs to one run, driven from one thread.
 */
public final class MehaState extends PairState {

    /** Trace column: the upper-level value {@code F(x_k, y_k)}. */
    public static final String F = "F";
    /** Trace column: the lower-level value {@code phi(x_k, y_k)}. */
    public static final String PHI = "phi";
    /** Trace column: the gap estimate {@code phi(x, y) - [phi(x, theta) + ||theta - y||^2 / (2 gamma)]}. */
    public static final String GAP = "gap";
    /** Trace column: {@code ||theta_k - y_k||}. */
    public static final String THETA_Y_DIST = "theta_y_dist";
    /** Trace column: {@code ||d_x||}, the norm of the x direction. */
    public static final String DX_NORM = "dx_norm";
    /** Trace column: the penalty parameter {@code c_k}. */
    public static final String C_K = "c_k";

    /** Trace columns of MEHA (before the reference errors). */
    static final List<String> COLUMNS = List.of(F, PHI, GAP, THETA_Y_DIST, DX_NORM, C_K);

    DMatrixRMaj theta;
    DMatrixRMaj xNew;
    DMatrixRMaj yNew;
    DMatrixRMaj thetaNew;
    private final DMatrixRMaj thetaGood;
    /** y-shaped work buffers. */
    final DMatrixRMaj gy;
    final DMatrixRMaj vy;
    /** {@code grad_y f(x, theta)} at the current (x, theta), when {@link #gradThetaValid}. */
    DMatrixRMaj gradTheta;
    boolean gradThetaValid;
    /** Whether thetaNew already holds the theta step at the current (x, y, theta). */
    boolean thetaNewValid;
    /** x-shaped work buffers. */
    final DMatrixRMaj gx;
    final DMatrixRMaj dx;
    final double gamma;
    double upperValue;
    double lowerValue;
    double envelopeValue;
    double dxNorm = Double.NaN;
    double penalty = Double.NaN;

    MehaState(BilevelProblem problem, PairIterate start, MehaOptions options) {
        super(problem, start, COLUMNS);
        gamma = options.gamma();
        theta = new DMatrixRMaj(y.numRows, y.numCols);
        if (options.thetaStart() == MehaOptions.ThetaStart.FROM_Y) {
            theta.setTo(y);
        }
        thetaGood = theta.copy();
        xNew = new DMatrixRMaj(x.numRows, x.numCols);
        yNew = new DMatrixRMaj(y.numRows, y.numCols);
        thetaNew = new DMatrixRMaj(y.numRows, y.numCols);
        gy = new DMatrixRMaj(y.numRows, y.numCols);
        vy = new DMatrixRMaj(y.numRows, y.numCols);
        gradTheta = new DMatrixRMaj(y.numRows, y.numCols);
        gx = new DMatrixRMaj(x.numRows, x.numCols);
        dx = new DMatrixRMaj(x.numRows, x.numCols);
        evaluate();
    }

    /** Evaluates F, phi and the envelope estimate at the current (x, y, theta). */
    void evaluate() {
        upperValue = problem.upperValue(x, y);
        lowerValue = problem.lowerValue(x, y);
        double d = MatOps.distance(theta, y);
        envelopeValue = problem.lowerValue(x, theta) + d * d / (2 * gamma);
    }

    /** Moves (x+, y+, theta+) into place by swapping references. */
    void swapIn() {
        DMatrixRMaj t = x;
        x = xNew;
        xNew = t;
        t = y;
        y = yNew;
        yNew = t;
        t = theta;
        theta = thetaNew;
        thetaNew = t;
    }

    /** @return the current theta (a view: do not modify) */
    public DMatrixRMaj theta() {
        return theta;
    }

    /** @return {@code F(x, y)} at the current point */
    public double upperValue() {
        return upperValue;
    }

    /** @return {@code phi(x, y)} at the current point */
    public double lowerValue() {
        return lowerValue;
    }

    /**
     * @return the gap estimate {@code phi(x, y) - [phi(x, theta) + ||theta - y||^2 / (2 gamma)]}, an
     *     estimate of {@code phi - v_gamma >= 0} that uses theta in place of the exact proximal point
     *     (so it can be negative when theta lags)
     */
    public double gap() {
        return lowerValue - envelopeValue;
    }

    @Override
    void ownTraceValues(double[] out) {
        out[0] = upperValue;
        out[1] = lowerValue;
        out[2] = gap();
        out[3] = MatOps.distance(theta, y);
        out[4] = dxNorm;
        out[5] = penalty;
    }

    @Override
    public double[] objectives() {
        return new double[] {upperValue, lowerValue};
    }

    /** @return {@code F} and {@code phi}, the names of {@link #objectives()} */
    @Override
    public List<String> objectiveNames() {
        return List.of(F, PHI);
    }

    @Override
    public boolean isFinite() {
        return super.isFinite() && MatOps.isFinite(theta) && Double.isFinite(upperValue)
                && Double.isFinite(lowerValue) && Double.isFinite(envelopeValue);
    }

    @Override
    void commitMore() {
        thetaGood.setTo(theta);
    }

    @Override
    void rollbackMore() {
        theta.setTo(thetaGood);
        gradThetaValid = false;
        thetaNewValid = false;
        evaluate();
    }
}
