package org.bilevel4j.spark.binno;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reduction of the second pass: {@code [Xu Xl]^T [Xu Xl]} (2r x 2r), {@code [Xu Xl]^T M}
 * (2r x n), for the linesearch the TSQR merge of the R factors of {@code [Xu Xl]} and the l1 norm
 * of the first trial mixture, and whether every block was finite. {@link #merge} never modifies its
 * arguments.
 */
final class CandidateStats implements Serializable {

    private static final long serialVersionUID = 1L;

    final DMatrixRMaj gram;
    final DMatrixRMaj q;
    final DMatrixRMaj r2;
    final double l1;
    /** {@code {||Xu - X||^2, <Xu - X, Xl - X>, ||Xl - X||^2}} */
    final double[] differences;
    final boolean finite;

    CandidateStats(DMatrixRMaj gram, DMatrixRMaj q, DMatrixRMaj r2, double l1, double[] differences,
            boolean finite) {
        this.gram = gram;
        this.q = q;
        this.r2 = r2;
        this.l1 = l1;
        this.differences = differences;
        this.finite = finite;
    }

    static CandidateStats merge(CandidateStats a, CandidateStats b) {
        DMatrixRMaj g = new DMatrixRMaj(a.gram.numRows, a.gram.numCols);
        CommonOps_DDRM.add(a.gram, b.gram, g);
        DMatrixRMaj q = new DMatrixRMaj(a.q.numRows, a.q.numCols);
        CommonOps_DDRM.add(a.q, b.q, q);
        double[] d = new double[a.differences.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.differences[i] + b.differences[i];
        }
        return new CandidateStats(g, q, Tsqr.merge(a.r2, b.r2), a.l1 + b.l1, d, a.finite && b.finite);
    }
}
