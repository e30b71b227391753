package org.bilevel4j.solver.baseline;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/** The state of a {@link RobustPca} run. */
public final class RobustPcaState implements SolverState<LowRankSparse> {

    /** The name of the trace column {@code objective} (row order: {@link #COLUMNS}). */
    public static final String OBJECTIVE = "objective";

    /** The name of the trace column {@code residual} (row order: {@link #COLUMNS}). */
    public static final String RESIDUAL = "residual";

    /** The name of the trace column {@code rank} (row order: {@link #COLUMNS}). */
    public static final String RANK = "rank";

    /** The name of the trace column {@code svd_rank} (row order: {@link #COLUMNS}). */
    public static final String SVD_RANK = "svd_rank";

    /** The name of the trace column {@code mu} (row order: {@link #COLUMNS}). */
    public static final String MU = "mu";

    /** The trace columns (after iteration and seconds), in row order. */
    public static final List<String> COLUMNS = List.of(OBJECTIVE, RESIDUAL, RANK, SVD_RANK, MU);
    static final long ROLLBACK_MAX_ENTRIES = 1L << 24;

    private final DMatrixRMaj m;
    private final double lambda;
    private final double rho;
    private final double muMax;
    private final double tolerance;
    private final double normM;
    private final Svt svt;
    private DMatrixRMaj low;
    private final DMatrixRMaj sparse;
    private final DMatrixRMaj dual;
    private DMatrixRMaj work;
    private final DMatrixRMaj lowGood;
    private final DMatrixRMaj sparseGood;
    private double mu;
    private double usedMu = Double.NaN;
    private double objective = Double.NaN;
    private double residual = Double.NaN;
    private int iteration;

    RobustPcaState(DMatrixRMaj m, LowRankSparse start, double lambda, RobustPca.Options o, RandomGenerator rnd) {
        this.m = m;
        this.lambda = lambda;
        this.rho = o.rho();
        this.tolerance = o.tolerance();
        int rows = m.numRows;
        int cols = m.numCols;
        this.low = start.low().copy();
        this.sparse = start.sparse().copy();
        this.work = new DMatrixRMaj(rows, cols);
        this.normM = Math.sqrt(MatOps.normSq(m));
        double norm2 = MatOps.spectralNorm(m);
        double normInf = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            normInf = Math.max(normInf, Math.abs(m.data[i]));
        }
        double j = Math.max(norm2, normInf / lambda);
        this.dual = m.copy();
        if (j > 0) {
            for (int i = 0; i < dual.data.length; i++) {
                dual.data[i] /= j;
            }
        }
        double safeNorm2 = norm2 > 0 ? norm2 : 1.0;
        this.mu = o.muFactor() / safeNorm2;
        this.muMax = mu * o.muMaxRatio();
        this.svt = new Svt(o.svd(), rnd, rows, cols, 10);
        boolean keep = (long) rows * cols <= ROLLBACK_MAX_ENTRIES;
        this.lowGood = keep ? new DMatrixRMaj(rows, cols) : null;
        this.sparseGood = keep ? new DMatrixRMaj(rows, cols) : null;
        this.residual = normM > 0 ? residualOf() : 0.0;
        this.objective = Double.NaN;
    }

    void step() {
        double[] md = m.data;
        double[] l = low.data;
        double[] s = sparse.data;
        double[] y = dual.data;
        double[] w = work.data;
        int n = md.length;
        double inv = 1.0 / mu;
        // S+ = shrink_{lambda/mu}(M - L + Y/mu)
        for (int i = 0; i < n; i++) {
            w[i] = md[i] - l[i] + inv * y[i];
        }
        double l1 = Svt.soft(w, lambda * inv, s, n);
        // L+ = SVT_{1/mu}(M - S+ + Y/mu), written into the old L's buffer via swap
        for (int i = 0; i < n; i++) {
            w[i] = md[i] - s[i] + inv * y[i];
        }
        DMatrixRMaj tmp = low;
        low = work;
        work = tmp;
        svt.apply(low, inv, work);
        tmp = low;
        low = work;
        work = tmp;
        l = low.data;
        // Y+ = Y + mu (M - L+ - S+)
        double r2 = 0;
        for (int i = 0; i < n; i++) {
            double z = md[i] - l[i] - s[i];
            y[i] += mu * z;
            r2 += z * z;
        }
        residual = normM > 0 ? Math.sqrt(r2) / normM : Math.sqrt(r2);
        objective = svt.nuclearNorm + lambda * l1;
        usedMu = mu;
        mu = Math.min(mu * rho, muMax);
        iteration++;
    }

    private double residualOf() {
        double r2 = 0;
        for (int i = 0; i < m.data.length; i++) {
            double z = m.data[i] - low.data[i] - sparse.data[i];
            r2 += z * z;
        }
        return Math.sqrt(r2) / normM;
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the weight lambda in use */
    public double lambda() {
        return lambda;
    }

    /** @return {@code ||M - L - S||_F / ||M||_F} */
    public double residual() {
        return residual;
    }

    /** @return the rank of L after the last step */
    public int rank() {
        return svt.rank;
    }

    /** @return the current L (a view: do not modify) */
    public DMatrixRMaj low() {
        return low;
    }

    /** @return the current S (a view: do not modify) */
    public DMatrixRMaj sparse() {
        return sparse;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = objective;
        out[1] = residual;
        out[2] = svt.rank;
        out[3] = svt.computed;
        out[4] = usedMu;
    }

    @Override
    public double[] objectives() {
        return new double[] {objective, residual};
    }

    /** The residual and objective sum every entry of L and S, so they are non-finite if any entry is. */
    @Override
    public boolean isFinite() {
        return iteration == 0 ? MatOps.isFinite(low) && MatOps.isFinite(sparse)
                : Double.isFinite(residual) && Double.isFinite(objective);
    }

    @Override
    public void commit() {
        if (lowGood != null) {
            System.arraycopy(low.data, 0, lowGood.data, 0, low.data.length);
            System.arraycopy(sparse.data, 0, sparseGood.data, 0, sparse.data.length);
        }
    }

    /** Restores the last finite iterate when the matrix is small enough to keep a copy (m n at most 2^24). */
    @Override
    public void rollback() {
        if (lowGood != null) {
            System.arraycopy(lowGood.data, 0, low.data, 0, low.data.length);
            System.arraycopy(sparseGood.data, 0, sparse.data, 0, sparse.data.length);
        }
    }

    @Override
    public boolean converged() {
        return residual < tolerance;
    }

    @Override
    public LowRankSparse solution() {
        return new LowRankSparse(low.copy(), sparse.copy());
    }
}
