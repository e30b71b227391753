package org.bilevel4j.solver.baseline;

import java.util.List;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.SolverState;
import org.ejml.data.DMatrixRMaj;

/** The state of an {@link Nmf} run. */
public final class NmfState implements SolverState<BlockIterate> {

    private static final List<String> COLUMNS = List.of("loss");

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
    /** M^T by rows and (M H^T)^T by rows, for a small M only (null otherwise). */
    private final double[][] mt;
    private final double[][] pt;

    /** Largest M (entries) kept transposed as well: 8 MB. */
    static final long SMALL_ENTRIES = 1L << 20;

    NmfState(DMatrixRMaj m, long clipped, DMatrixRMaj w0, DMatrixRMaj h0) {
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
        if ((long) rows * cols <= SMALL_ENTRIES) {
            mt = new double[cols][rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    mt[j][i] = m.data[i * cols + j];
                }
            }
            pt = new double[r][rows];
        } else {
            mt = null;
            pt = null;
        }
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
     * {@code mht = M H^T}: for a small M (at most 2^20 entries) from the transposed copy, as long
     * updates {@code (M H^T)^T[k, :] += H[k, j] M[:, j]} that vectorize (the dot products of the
     * general kernel along rows of 51 entries do not); otherwise through {@link Gemm}.
     */
    private void multTransB(DMatrixRMaj hh) {
        if (mt == null) {
            Gemm.multTransB(m, hh, mht);
            return;
        }
        int rows = m.numRows;
        int cols = m.numCols;
        int r = hh.numRows;
        double[] hd = hh.data;
        int k = 0;
        // three rows of (M H^T)^T per pass, so each loaded column of M serves three updates
        for (; k + 2 < r; k += 3) {
            double[] p0 = pt[k];
            double[] p1 = pt[k + 1];
            double[] p2 = pt[k + 2];
            java.util.Arrays.fill(p0, 0.0);
            java.util.Arrays.fill(p1, 0.0);
            java.util.Arrays.fill(p2, 0.0);
            int j = 0;
            for (; j + 1 < cols; j += 2) {
                double a00 = hd[k * cols + j];
                double a01 = hd[k * cols + j + 1];
                double a10 = hd[(k + 1) * cols + j];
                double a11 = hd[(k + 1) * cols + j + 1];
                double a20 = hd[(k + 2) * cols + j];
                double a21 = hd[(k + 2) * cols + j + 1];
                double[] c0 = mt[j];
                double[] c1 = mt[j + 1];
                for (int i = 0; i < rows; i++) {
                    double x0 = c0[i];
                    double x1 = c1[i];
                    p0[i] += a00 * x0 + a01 * x1;
                    p1[i] += a10 * x0 + a11 * x1;
                    p2[i] += a20 * x0 + a21 * x1;
                }
            }
            for (; j < cols; j++) {
                double a0 = hd[k * cols + j];
                double a1 = hd[(k + 1) * cols + j];
                double a2 = hd[(k + 2) * cols + j];
                double[] c0 = mt[j];
                for (int i = 0; i < rows; i++) {
                    double x0 = c0[i];
                    p0[i] += a0 * x0;
                    p1[i] += a1 * x0;
                    p2[i] += a2 * x0;
                }
            }
        }
        for (; k < r; k++) {
            double[] pk = pt[k];
            java.util.Arrays.fill(pk, 0.0);
            for (int j = 0; j < cols; j++) {
                double a0 = hd[k * cols + j];
                double[] c0 = mt[j];
                for (int i = 0; i < rows; i++) {
                    pk[i] += a0 * c0[i];
                }
            }
        }
        double[] o = mht.data;
        for (k = 0; k < r; k++) {
            double[] pk = pt[k];
            for (int i = 0; i < rows; i++) {
                o[i * r + k] = pk[i];
            }
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
