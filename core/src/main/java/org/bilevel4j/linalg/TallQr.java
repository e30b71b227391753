package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.mult.MatrixMatrixMult_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Householder QR {@code A = Q R} of a tall m x n matrix (m at least n) by blocks of rows (TSQR):
 * each block of rows is reduced on its own, {@code A_i = Q_i R_i}, in parallel, then the stacked
 * {@code R_i} are reduced once more, {@code [R_1; ...; R_B] = Q_s R}. Then
 * {@code Q = diag(Q_1, ..., Q_B) Q_s}, which is kept in that factored form. As stable as one
 * Householder QR; the block boundaries depend on the shape only, so the result does not depend on
 * the number of threads. Package-private: {@link ThinSvd} uses it.
 */
final class TallQr {

    /** Most row blocks. */
    static final int MAX_BLOCKS = 16;

    /** Fewest rows in a block. */
    static final int MIN_BLOCK_ROWS = 2048;

    /** The n x n triangular factor. */
    final DMatrixRMaj r;
    private final int n;
    private final int[] starts;
    private final DMatrixRMaj[] qBlocks;
    private final DMatrixRMaj qStack;
    private final boolean parallel;

    private TallQr(DMatrixRMaj r, int n, int[] starts, DMatrixRMaj[] qBlocks, DMatrixRMaj qStack, boolean parallel) {
        this.r = r;
        this.n = n;
        this.starts = starts;
        this.qBlocks = qBlocks;
        this.qStack = qStack;
        this.parallel = parallel;
    }

    /**
     * @param a m x n with m at least n (not modified)
     * @param wantQ whether {@link #multQ} will be called (otherwise Q is not formed at all)
     */
    static TallQr of(DMatrixRMaj a, boolean wantQ) {
        int m = a.numRows;
        int n = a.numCols;
        if (m < n) {
            throw new IllegalArgumentException("TallQr needs m >= n, got " + m + "x" + n);
        }
        int blocks = Math.max(1, Math.min(MAX_BLOCKS, m / Math.max(4 * n, MIN_BLOCK_ROWS)));
        int[] starts = new int[blocks + 1];
        for (int b = 0; b <= blocks; b++) {
            starts[b] = (int) ((long) m * b / blocks);
        }
        boolean parallel = blocks > 1 && (long) m * n * n >= JavaGemm.PARALLEL_WORK;
        DMatrixRMaj[] rs = new DMatrixRMaj[blocks];
        DMatrixRMaj[] qs = wantQ ? new DMatrixRMaj[blocks] : null;
        Parallel.forEach(blocks, parallel, b -> {
            int rows = starts[b + 1] - starts[b];
            DMatrixRMaj block = new DMatrixRMaj(rows, n);
            System.arraycopy(a.data, starts[b] * n, block.data, 0, rows * n);
            QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, n);
            decompose(qr, block);
            rs[b] = qr.getR(null, true);
            if (qs != null) {
                qs[b] = qr.getQ(null, true);
            }
        });
        if (blocks == 1) {
            return new TallQr(rs[0], n, starts, qs, null, false);
        }
        DMatrixRMaj stacked = new DMatrixRMaj(blocks * n, n);
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(rs[b].data, 0, stacked.data, b * n * n, n * n);
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(blocks * n, n);
        decompose(qr, stacked);
        DMatrixRMaj r = qr.getR(null, true);
        DMatrixRMaj qStack = wantQ ? qr.getQ(null, true) : null;
        return new TallQr(r, n, starts, qs, qStack, parallel);
    }

    /**
     * Householder QR of {@code a} (not modified) that accepts rank-deficient input. EJML's Householder
     * QR reports failure when a column is exactly zero below the diagonal (a zero column of A, or a
     * column that depends exactly on the ones before it), although the factorization it computed is
     * exact: that column's reflector is the identity and its diagonal entry of R is 0. Such columns
     * are legitimate here (the soft threshold zeroes whole columns of a factor), so the flag is
     * ignored. EJML never reports failure for non-finite input; the SVD that follows does.
     */
    static void decompose(QRDecomposition<DMatrixRMaj> qr, DMatrixRMaj a) {
        qr.decompose(a);
    }

    /** @return m, the rows of A */
    int rows() {
        return starts[starts.length - 1];
    }

    /**
     * {@code out = Q w}.
     *
     * @param w n x c (not modified)
     * @param out m x c (modified)
     */
    void multQ(DMatrixRMaj w, DMatrixRMaj out) {
        if (qBlocks == null) {
            throw new IllegalStateException("Q was not formed");
        }
        int c = w.numCols;
        if (w.numRows != n || out.numRows != starts[starts.length - 1] || out.numCols != c) {
            throw new IllegalArgumentException("shape mismatch in multQ");
        }
        Parallel.forEach(qBlocks.length, parallel, b -> {
            DMatrixRMaj wb = w;
            if (qStack != null) {
                DMatrixRMaj qs = new DMatrixRMaj(n, n);
                System.arraycopy(qStack.data, b * n * n, qs.data, 0, n * n);
                wb = new DMatrixRMaj(n, c);
                CommonOps_DDRM.mult(qs, w, wb);
            }
            DMatrixRMaj part = new DMatrixRMaj(qBlocks[b].numRows, c);
            MatrixMatrixMult_DDRM.mult_reorder(qBlocks[b], wb, part);
            System.arraycopy(part.data, 0, out.data, starts[b] * c, part.data.length);
        });
    }
}
