package org.bilevel4j.solver.baseline;

import java.util.List;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.linalg.TransposedMatrix;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/** The state of an {@link Nmf} run. */
public final class NmfState implements SolverState<BlockIterate> {

    /** The name of the trace column {@code loss} (row order: {@link #COLUMNS}). */
    public static final String LOSS = "loss";

    /** The trace columns (after iteration and seconds), in row order. */
    public static final List<String> COLUMNS = List.of(LOSS);

    private final DMatrixRMaj m;
    private final long clipped;
    private final double normMSq;
    private final DMatrixRMaj w;
    private final DMatrixRMaj h;
    private final DMatrixRMaj wGood;
    private final DMatrixRMaj hGood;
    private final DMatrixRMaj wtm;
    private final DMatrixRMaj wtw;
    private final DMatrixRMaj wtwh;
    private final DMatrixRMaj mht;
    private final DMatrixRMaj hht;
    private final DMatrixRMaj whht;
    private double loss;
    private int iteration;
    /** M by columns where {@link TransposedMatrix#worthKeeping(int, int, int)} (else null). */
    private final TransposedMatrix columns;

    NmfState(DMatrixRMaj m, long clipped, DMatrixRMaj w0, DMatrixRMaj h0) {
        this(m, clipped, w0, h0, TransposedMatrix.worthKeeping(m.numRows, m.numCols, w0.numCols));
    }

    /**
     * @param keepColumns whether to keep M by columns (the other constructor's rule; a test checks that the
     *     choice moves no bit)
     */
    NmfState(DMatrixRMaj m, long clipped, DMatrixRMaj w0, DMatrixRMaj h0, boolean keepColumns) {
        this.m = m;
        this.clipped = clipped;
        this.normMSq = MatOps.normSq(m);
        this.w = w0.copy();
        this.h = h0.copy();
        int rows = m.numRows;
        int cols = m.numCols;
        int r = w.numCols;
        wGood = w.copy();
        hGood = h.copy();
        wtm = new DMatrixRMaj(r, cols);
        wtw = new DMatrixRMaj(r, r);
        wtwh = new DMatrixRMaj(r, cols);
        mht = new DMatrixRMaj(rows, r);
        hht = new DMatrixRMaj(r, r);
        whht = new DMatrixRMaj(rows, r);
        columns = keepColumns ? new TransposedMatrix(m) : null;
        // initial loss: <M, WH> = sum(W .* (M H^T)), ||WH||^2 = sum((W^T W) .* (H H^T))
        multTransB(h);
        Gemm.multTransB(h, h, hht);
        Gemm.multTransA(w, w, wtw);
        loss = lossFromProducts();
    }

    void step() {
        // H <- H .* (W^T M) ./ (W^T W H + eps); W^T W of the current W was formed for the loss
        Gemm.multTransA(w, m, wtm);
        Gemm.mult(wtw, h, wtwh);
        multiplicative(h, wtm, wtwh);
        // W <- W .* (M H^T) ./ (W (H H^T) + eps)
        multTransB(h);
        Gemm.multTransB(h, h, hht);
        Gemm.mult(w, hht, whht);
        multiplicative(w, mht, whht);
        Gemm.multTransA(w, w, wtw);
        loss = lossFromProducts();
        iteration++;
    }

    /**
     * {@code mht = M H^T}: from the copy of M by columns when there is one (long vectorized updates,
     * {@link TransposedMatrix}), otherwise through {@link Gemm}.
     */
    private void multTransB(DMatrixRMaj hh) {
        if (columns != null) {
            columns.multTransB(hh, mht);
        } else {
            Gemm.multTransB(m, hh, mht);
        }
    }

    private static void multiplicative(DMatrixRMaj x, DMatrixRMaj num, DMatrixRMaj den) {
        double[] xd = x.data;
        double[] nd = num.data;
        double[] dd = den.data;
        for (int i = 0; i < xd.length; i++) {
            xd[i] *= nd[i] / (dd[i] + Nmf.EPS);
        }
    }

    /** {@code 1/2 ||M - WH||^2} from M H^T, W^T W and H H^T of the current W, H. */
    private double lossFromProducts() {
        double cross = MatOps.dot(w, mht);
        double quad = MatOps.dot(wtw, hht);
        return 0.5 * Math.max(normMSq - 2 * cross + quad, 0.0);
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the number of negative data entries clipped to zero */
    public long clippedEntries() {
        return clipped;
    }

    /** @return the loss {@code 1/2 ||M - W H||_F^2} on the clipped data */
    public double loss() {
        return loss;
    }

    @Override
    public List<String> traceColumns() {
        return COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        out[0] = loss;
    }

    @Override
    public double[] objectives() {
        return new double[] {loss};
    }

    @Override
    public boolean isFinite() {
        return Double.isFinite(loss) && MatOps.isFinite(w) && MatOps.isFinite(h);
    }

    @Override
    public void commit() {
        System.arraycopy(w.data, 0, wGood.data, 0, w.data.length);
        System.arraycopy(h.data, 0, hGood.data, 0, h.data.length);
    }

    @Override
    public void rollback() {
        System.arraycopy(wGood.data, 0, w.data, 0, w.data.length);
        System.arraycopy(hGood.data, 0, h.data, 0, h.data.length);
        Gemm.multTransA(w, w, wtw); // the next step reuses W^T W of the current W
    }

    @Override
    public BlockIterate solution() {
        return new BlockIterate(w, h);
    }
}
