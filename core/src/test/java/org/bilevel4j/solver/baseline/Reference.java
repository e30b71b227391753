package org.bilevel4j.solver.baseline;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Reference computations for the baseline tests, written from the definitions with EJML's own dense
 * SVD and plain loops (independent of the library's {@code ThinSvd}, {@code RandomizedSvd} and
 * {@code Gemm}).
 */
final class Reference {

    private Reference() {
    }

    /** A rows x cols matrix with entries uniform on [lo, hi) from the seed. */
    static DMatrixRMaj uniform(int rows, int cols, double lo, double hi, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rnd.nextDouble(lo, hi);
        }
        return m;
    }

    /** The singular values of x, decreasing, by EJML's dense SVD. */
    static double[] singularValues(DMatrixRMaj x) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(x.numRows, x.numCols,
                false, false, true);
        if (!svd.decompose(x.copy())) {
            throw new IllegalStateException("SVD failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }

    /** Result of the singular value thresholding by the definition. */
    record Svt(DMatrixRMaj out, int rank, double nuclearNorm) {
    }

    /** {@code U diag(max(s - tau, 0)) V^T} from EJML's dense SVD of x. */
    static Svt svt(DMatrixRMaj x, double tau) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(x.numRows, x.numCols,
                true, true, true);
        if (!svd.decompose(x.copy())) {
            throw new IllegalStateException("SVD failed");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        double[] s = svd.getSingularValues();
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        int rank = 0;
        double nuclear = 0;
        for (int k = 0; k < svd.numberOfSingularValues(); k++) {
            double d = s[k] - tau;
            if (!(d > 0)) {
                continue;
            }
            rank++;
            nuclear += d;
            for (int i = 0; i < x.numRows; i++) {
                for (int j = 0; j < x.numCols; j++) {
                    out.data[i * x.numCols + j] += d * u.get(i, k) * v.get(j, k);
                }
            }
        }
        return new Svt(out, rank, nuclear);
    }

    /** {@code sign(v) max(|v| - t, 0)} per entry. */
    static DMatrixRMaj soft(DMatrixRMaj x, double t) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.data.length; i++) {
            double v = x.data[i];
            out.data[i] = v > t ? v - t : v < -t ? v + t : 0;
        }
        return out;
    }

    static double l1(DMatrixRMaj x) {
        double s = 0;
        for (double v : x.data) {
            s += Math.abs(v);
        }
        return s;
    }

    static double frobenius(DMatrixRMaj x) {
        return Math.sqrt(CommonOps_DDRM.elementSum(elementSquare(x)));
    }

    private static DMatrixRMaj elementSquare(DMatrixRMaj x) {
        DMatrixRMaj out = x.copy();
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] *= out.data[i];
        }
        return out;
    }

    /** {@code a x + b y}, a new matrix. */
    static DMatrixRMaj add(double a, DMatrixRMaj x, double b, DMatrixRMaj y) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] = a * x.data[i] + b * y.data[i];
        }
        return out;
    }

    static double maxAbsDifference(DMatrixRMaj x, DMatrixRMaj y) {
        double m = 0;
        for (int i = 0; i < x.data.length; i++) {
            m = Math.max(m, Math.abs(x.data[i] - y.data[i]));
        }
        return m;
    }
}
