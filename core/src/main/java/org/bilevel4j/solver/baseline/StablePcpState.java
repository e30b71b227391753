package org.bilevel4j.solver.baseline;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** The state of a {@link StablePcp} run. */
public final class StablePcpState implements SolverState<LowRankSparse> {

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

    /** M, or M^T when {@link #transposed}: the orientation in which the state is kept. */
    private final DMatrixRMaj m;
    /**
     * Whether the state holds the transposes of M, L and S: for a tall M whose SVT is always the full
     * thin one (smaller side at most {@link SvdPolicy#fullBelow()}), so that the SVT gets a wide
     * matrix, whose rows are the columns its QR works on (copied whole) and whose product with the
     * small k x k factor runs along rows of length m. Every step is elementwise or an SVT, which
     * commutes with transposition, so this changes the iterates by rounding only.
     */
    private final boolean transposed;
    private final double lambda;
    private final double target;
    private final double eta;
    private final double tolerance;
    private final Svt svt;
    private DMatrixRMaj low;
    private DMatrixRMaj sparse;
    private DMatrixRMaj lowPrev;
    private DMatrixRMaj sparsePrev;
    private final DMatrixRMaj workL;
    private double mu;
    private double usedMu = Double.NaN;
    private double t = 1.0;
    private double tPrev = 1.0;
    private double objective = Double.NaN;
    private double residual = Double.NaN;
    private int iteration;

    StablePcpState(DMatrixRMaj m, LowRankSparse start, double lambda, double target, double mu0,
            StablePcp.Options o, RandomGenerator rnd) {
        int rows = m.numRows;
        int cols = m.numCols;
        this.transposed = rows > cols && cols <= o.svd().fullBelow();
        this.m = transposed ? CommonOps_DDRM.transpose(m, null) : m;
        this.lambda = lambda;
        this.target = target;
        this.eta = o.eta();
        this.tolerance = o.tolerance();
        this.mu = mu0;
        this.low = transposed ? CommonOps_DDRM.transpose(start.low(), null) : start.low().copy();
        this.sparse = transposed ? CommonOps_DDRM.transpose(start.sparse(), null) : start.sparse().copy();
        this.lowPrev = low.copy();
        this.sparsePrev = sparse.copy();
        this.workL = new DMatrixRMaj(this.m.numRows, this.m.numCols);
        this.svt = new Svt(o.svd(), rnd, this.m.numRows, this.m.numCols, 10);
    }

    void step() {
        double[] md = m.data;
        int n = md.length;
        double w = (tPrev - 1) / t;
        double[] l = low.data;
        double[] s = sparse.data;
        double[] lp = lowPrev.data;
        double[] sp = sparsePrev.data;
        double[] gl = workL.data;
        // Y = X + w (X - X_prev); G = Y_L + Y_S - M; the L gradient point Y_L - G/2 = (Y_L - Y_S + M)/2
        // goes to workL. Then Y_S - G/2 = M - workL, and Y_L - Y_S = 2 workL - M is all the residual
        // below needs of Y
        for (int i = 0; i < n; i++) {
            double yl = l[i] + w * (l[i] - lp[i]);
            double y2 = s[i] + w * (s[i] - sp[i]);
            gl[i] = 0.5 * (yl - y2 + md[i]);
        }
        // the old iterate becomes the previous one; the new one goes into the previous buffers
        DMatrixRMaj tmp = lowPrev;
        lowPrev = low;
        low = tmp;
        tmp = sparsePrev;
        sparsePrev = sparse;
        sparse = tmp;
        svt.apply(workL, mu / 2, low);
        l = low.data;
        s = sparse.data; // holds S_prev until overwritten with S+
        double thr = lambda * mu / 2;
        // S+ = soft(M - workL, thr) (MatOps.softThreshold), in a loop of its own with one output, which
        // vectorizes
        for (int i = 0; i < n; i++) {
            s[i] = MatOps.softThreshold(md[i] - gl[i], thr);
        }
        // the sums, two of each (even and odd entries) to halve the chains of dependent additions.
        // Subgradient residual of [2], grad f(X+) - grad f(Y) - 2 (X+ - Y) for both blocks, with
        // d = (L+ + S+) - (Y_L + Y_S): r_L = d - 2 (L+ - Y_L) and r_S = d - 2 (S+ - Y_S) = -r_L, and
        // r_L = S+ - L+ + (Y_L - Y_S) = S+ - L+ + 2 workL - M = z - 2 (v - S+) with z = M - L+ - S+ and
        // v = M - workL; so ||r||^2 = 2 sum r_L^2, without Y_S
        double l1 = 0;
        double r2 = 0;
        double x2 = 0;
        double f2 = 0;
        double l1b = 0;
        double r2b = 0;
        double x2b = 0;
        double f2b = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double si = s[i];
            double li = l[i];
            double z = md[i] - li - si;
            double e = z - 2 * (md[i] - gl[i] - si);
            l1 += Math.abs(si);
            r2 += e * e;
            x2 += li * li + si * si;
            f2 += z * z;
            double sj = s[i + 1];
            double lj = l[i + 1];
            double zj = md[i + 1] - lj - sj;
            double ej = zj - 2 * (md[i + 1] - gl[i + 1] - sj);
            l1b += Math.abs(sj);
            r2b += ej * ej;
            x2b += lj * lj + sj * sj;
            f2b += zj * zj;
        }
        if (i < n) {
            double si = s[i];
            double li = l[i];
            double z = md[i] - li - si;
            double e = z - 2 * (md[i] - gl[i] - si);
            l1 += Math.abs(si);
            r2 += e * e;
            x2 += li * li + si * si;
            f2 += z * z;
        }
        l1 += l1b;
        r2 = 2 * (r2 + r2b);
        x2 += x2b;
        f2 += f2b;
        residual = Math.sqrt(r2) / (2 * Math.max(1.0, Math.sqrt(x2)));
        objective = svt.nuclearNorm + lambda * l1 + f2 / (2 * target);
        usedMu = mu;
        double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        tPrev = t;
        t = tNext;
        mu = Math.max(eta * mu, target);
        iteration++;
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the current continuation value of mu (the next step's) */
    public double mu() {
        return mu;
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
        return new double[] {objective};
    }

    @Override
    public boolean isFinite() {
        return iteration == 0 ? MatOps.isFinite(low) && MatOps.isFinite(sparse)
                : Double.isFinite(residual) && Double.isFinite(objective);
    }

    @Override
    public void commit() {
    }

    @Override
    public void rollback() {
        DMatrixRMaj tmp = low;
        low = lowPrev;
        lowPrev = tmp;
        tmp = sparse;
        sparse = sparsePrev;
        sparsePrev = tmp;
    }

    @Override
    public boolean converged() {
        return usedMu <= target && residual <= tolerance;
    }

    /** @return the current L (a view, or a copy when the state is kept transposed: do not modify) */
    public DMatrixRMaj low() {
        return transposed ? CommonOps_DDRM.transpose(low, null) : low;
    }

    /** @return the current S (a view, or a copy when the state is kept transposed: do not modify) */
    public DMatrixRMaj sparse() {
        return transposed ? CommonOps_DDRM.transpose(sparse, null) : sparse;
    }

    @Override
    public LowRankSparse solution() {
        return transposed ? new LowRankSparse(CommonOps_DDRM.transpose(low, null),
                CommonOps_DDRM.transpose(sparse, null)) : new LowRankSparse(low.copy(), sparse.copy());
    }
}
