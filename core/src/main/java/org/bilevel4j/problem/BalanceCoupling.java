package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * The power balance of a copper-plate market as a quadratic coupling of dispatch X
 * (blocks x periods) and served demand Y (loads x periods):
 * <pre>
 *   H(X, Y) = rho/2 sum_t r_t^2,    r_t = sum_i X_it - sum_j Y_jt   (the balance residual of period t).
 * </pre>
 * Gradients: {@code grad_X H_it = rho r_t}, {@code grad_Y H_jt = -rho r_t}. For fixed Y the Hessian
 * in X is {@code rho 1 1^T} per period, of norm {@code rho * blocks}; likewise {@code rho * loads}
 * in Y; jointly in (X, Y) it is {@code rho (blocks + loads)} ({@link #jointLipschitz}). The price of
 * period t is {@code -rho r_t}.
 *
 * <p>Thread-safety: immutable; safe to share between threads.
 */
public final class BalanceCoupling implements BlockCoupling {

    private final int blocks;
    private final int loads;
    private final int periods;
    private final double rho;

    /**
     * @param blocks rows of X, at least 1
     * @param loads rows of Y, at least 1
     * @param periods columns of both, at least 1
     * @param rho the balance weight, positive and finite
     */
    public BalanceCoupling(int blocks, int loads, int periods, double rho) {
        if (blocks < 1 || loads < 1 || periods < 1) {
            throw new IllegalArgumentException("BalanceCoupling needs at least one block, load and period, got "
                    + blocks + ", " + loads + ", " + periods);
        }
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be positive and finite, got " + rho);
        }
        this.blocks = blocks;
        this.loads = loads;
        this.periods = periods;
        this.rho = rho;
    }

    /** @return rho */
    public double rho() {
        return rho;
    }

    /** @return the periods */
    public int periods() {
        return periods;
    }

    /**
     * Writes {@code r_t = sum_i X_it - sum_j Y_jt} into out (length periods).
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    public void residuals(DMatrixRMaj x, DMatrixRMaj y, double[] out) {
        checkShapes(x, y);
        for (int t = 0; t < periods; t++) {
            out[t] = 0;
        }
        for (int i = 0; i < blocks; i++) {
            int base = i * periods;
            for (int t = 0; t < periods; t++) {
                out[t] += x.data[base + t];
            }
        }
        for (int j = 0; j < loads; j++) {
            int base = j * periods;
            for (int t = 0; t < periods; t++) {
                out[t] -= y.data[base + t];
            }
        }
    }

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the residuals as a new array
     */
    public double[] residuals(DMatrixRMaj x, DMatrixRMaj y) {
        double[] r = new double[periods];
        residuals(x, y, r);
        return r;
    }

    /** @return {@code rho (blocks + loads)}, the Lipschitz constant of grad H in (X, Y) jointly */
    public double jointLipschitz() {
        return rho * (blocks + loads);
    }

    @Override
    public int xRows() {
        return blocks;
    }

    @Override
    public int xCols() {
        return periods;
    }

    @Override
    public int yRows() {
        return loads;
    }

    @Override
    public int yCols() {
        return periods;
    }

    @Override
    public double value(DMatrixRMaj x, DMatrixRMaj y) {
        double[] r = residuals(x, y);
        double s = 0;
        for (double v : r) {
            s += v * v;
        }
        return 0.5 * rho * s;
    }

    @Override
    public void gradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        double[] r = residuals(x, y);
        out.reshape(blocks, periods);
        for (int i = 0; i < blocks; i++) {
            for (int t = 0; t < periods; t++) {
                out.data[i * periods + t] = rho * r[t];
            }
        }
    }

    @Override
    public void gradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        double[] r = residuals(x, y);
        out.reshape(loads, periods);
        for (int j = 0; j < loads; j++) {
            for (int t = 0; t < periods; t++) {
                out.data[j * periods + t] = -rho * r[t];
            }
        }
    }

    @Override
    public double lipschitzX(DMatrixRMaj y) {
        return rho * blocks;
    }

    @Override
    public double lipschitzY(DMatrixRMaj x) {
        return rho * loads;
    }
}
