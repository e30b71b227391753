package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * A tall dense matrix A ({@code m x d}, m large, for instance a data set of m samples with d
 * features) prepared for the two thin products of gradient methods on it:
 * <pre>
 *   Z = A Y      (Y: d x c, Z: m x c)        the forward product (logits of a linear model),
 *   G = A^T R    (R: m x c, G: d x c)        the backward product (its gradient),
 * </pre>
 * with c small (a few to a few tens of columns). A general product kernel ({@link Gemm}) runs
 * these as dot products or as updates of length c, which HotSpot's C2 (JDK 17) does not vectorize
 * (see {@code JavaGemm}). A is therefore copied twice, laid out for each product, and one of two
 * sets of kernels runs them:
 * <ul>
 *   <li><b>Register-blocked kernels</b> on the JDK's Vector API ({@code DoublePanels},
 *       {@code FloatPanels}) when the module {@code jdk.incubator.vector} is resolved (JVM option
 *       {@code --add-modules jdk.incubator.vector}) and {@code bilevel4j.vector} is not
 *       {@code false}: A packed into panels of 2 L rows and of 2 L columns (L vector lanes), each
 *       pass over a panel keeping 2 x 10 vector accumulators in registers; about twice as fast.</li>
 *   <li><b>Streaming kernels</b> otherwise: A as m row arrays and d column arrays, the forward
 *       product as {@code Z[:, j] += Y[p, j] A[:, p]} over blocks of rows, the backward product as
 *       {@code G[:, j] += R[i, j] A[i, :]}, eight columns or rows of A per C2-vectorized pass (each
 *       output entry read and written once for eight multiply-adds).</li>
 * </ul>
 * {@link #kernels()} says which runs. Either way the copies cost twice the memory of A (in
 * {@code SINGLE}, once).
 *
 * <p>Precision ({@link Precision}): in {@code DOUBLE} (the default) everything is binary64. In
 * {@code SINGLE} the copies of A are binary32, each product rounds its operand (Y or R) to binary32
 * and sums in binary32: the forward product over the d terms of an entry, the backward product
 * over the rows of one chunk; the partial sums of the chunks are added in binary64. Every entry of
 * a result is within {@code 2 (k + 2) eps sum_l |terms|} of the exact sum of its k terms, eps the
 * ulp of 1 in the working format (2^-52 or 2^-23): the classical bound of a k-term sum, which in
 * single precision also covers the rounding of both factors. Twice as many entries fit in a vector
 * register and in cache, which makes the products about twice as fast; the results are those of a
 * float32 implementation.
 *
 * <p>Both products split their work into tasks whose boundaries depend only on the shapes and sum
 * every entry in a fixed order (the backward product adds the partial sums of fixed chunks of rows
 * in chunk order), so the results are the same bits for any number of threads
 * ({@code bilevel4j.threads}, see {@link Gemm#threads()}). Each product runs on the threads of the
 * pure-Java kernels. The object is immutable and may be shared between threads.
 */
public final class TallMatrix {

    /** Rows of A per task of the forward product. */
    static final int FORWARD_ROWS = 256;

    /** Most chunks of rows in the backward product (each holds a partial G). */
    static final int BACKWARD_MAX_CHUNKS = 16;

    /** Fewest rows per chunk of the backward product. */
    static final int BACKWARD_MIN_ROWS = 128;

    /** Multiply-adds below which a product runs on the calling thread only. */
    static final long PARALLEL_WORK = 1_000_000L;

    private final int m;
    private final int d;
    private final Precision precision;
    // DOUBLE: byRow, byCol; SINGLE: floatByRow, floatByCol (the other pair is null)
    private final double[][] byRow;
    private final double[][] byCol;
    private final float[][] floatByRow;
    private final float[][] floatByCol;
    // the Vector API's kernels when its module is present (then the four arrays above are null)
    private final PanelKernels panels;

    /** @param a the matrix, copied in double precision (later changes to a are not seen) */
    public TallMatrix(DMatrixRMaj a) {
        this(a, Precision.DOUBLE);
    }

    /**
     * @param a the matrix, copied (later changes to a are not seen); in {@code SINGLE}, rounded to
     *     the nearest binary32 (finite values beyond its range become infinite)
     * @param precision the storage and summation format
     */
    public TallMatrix(DMatrixRMaj a, Precision precision) {
        this(a, precision, PanelKernels.AVAILABLE);
    }

    /**
     * @param vector whether to use the Vector API's kernels
     * @throws IllegalStateException if vector is asked for but not {@link PanelKernels#AVAILABLE}
     */
    TallMatrix(DMatrixRMaj a, Precision precision, boolean vector) {
        if (vector && !PanelKernels.AVAILABLE) {
            throw new IllegalStateException("the Vector API kernels need the module jdk.incubator.vector"
                    + " (JVM option --add-modules jdk.incubator.vector) and bilevel4j.vector not false");
        }
        m = a.numRows;
        d = a.numCols;
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        double[] ad = a.data;
        if (vector) {
            panels = PanelKernels.of(ad, m, d, precision);
            byRow = null;
            byCol = null;
            floatByRow = null;
            floatByCol = null;
        } else if (precision == Precision.DOUBLE) {
            panels = null;
            byRow = new double[m][d];
            byCol = new double[d][m];
            floatByRow = null;
            floatByCol = null;
            for (int i = 0; i < m; i++) {
                System.arraycopy(ad, i * d, byRow[i], 0, d);
                for (int p = 0; p < d; p++) {
                    byCol[p][i] = ad[i * d + p];
                }
            }
        } else {
            panels = null;
            byRow = null;
            byCol = null;
            floatByRow = new float[m][d];
            floatByCol = new float[d][m];
            for (int i = 0; i < m; i++) {
                float[] row = floatByRow[i];
                for (int p = 0; p < d; p++) {
                    float v = (float) ad[i * d + p];
                    row[p] = v;
                    floatByCol[p][i] = v;
                }
            }
        }
    }

    /** @return the storage and summation format */
    public Precision precision() {
        return precision;
    }

    /** @return m, the number of rows */
    public int rows() {
        return m;
    }

    /** @return d, the number of columns */
    public int cols() {
        return d;
    }

    /**
     * @param i the row index
     * @param p the column index
     * @return {@code A[i, p]} as stored (in {@code SINGLE}, the binary32 value)
     */
    public double get(int i, int p) {
        if (panels != null) {
            return panels.get(i, p);
        }
        return precision == Precision.DOUBLE ? byRow[i][p] : floatByRow[i][p];
    }

    /**
     * @return which kernels run the products: the Vector API's register-blocked kernels
     *     (module {@code jdk.incubator.vector} present) or the streaming kernels
     */
    public String kernels() {
        return (panels != null ? "Vector API register-blocked kernels" : "streaming kernels") + ", "
                + (precision == Precision.DOUBLE ? "double" : "single") + " precision";
    }

    private static boolean parallel(long work) {
        return work >= PARALLEL_WORK && Parallel.threads() > 1;
    }

    /**
     * Work on a block of rows of a product, run by the kernel on its threads right after the block
     * is written (while it is in cache): for instance the softmax of a block of logits.
     */
    @FunctionalInterface
    public interface RowBlockAction {
        /**
         * Called once for each block; blocks are disjoint and cover all rows, and several blocks may
         * be processed at once on different threads, in any order.
         *
         * @param i0 first row of the block
         * @param i1 one past its last row
         */
        void accept(int i0, int i1);
    }

    /**
     * {@code out = A y}.
     *
     * @param y d x c, not modified
     * @param out m x c, modified; must not alias y
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void mult(DMatrixRMaj y, DMatrixRMaj out) {
        mult(y, out, null);
    }

    /**
     * {@code out = A y}, then {@code after} on every block of rows of out as soon as it is written.
     *
     * @param y d x c, not modified
     * @param out m x c, modified; must not alias y
     * @param after run on each block of rows (may be null); it may modify those rows of out and
     *     must touch nothing another block touches
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void mult(DMatrixRMaj y, DMatrixRMaj out, RowBlockAction after) {
        if (y.numRows != d || out.numRows != m || out.numCols != y.numCols) {
            throw new IllegalArgumentException("A is " + m + "x" + d + ", Y is " + y.numRows + "x" + y.numCols
                    + ", out is " + out.numRows + "x" + out.numCols);
        }
        if (out == y) {
            throw new IllegalArgumentException("out must not alias y");
        }
        int c = y.numCols;
        if (c == 0 || m == 0) {
            return;
        }
        double[] yd = y.data;
        double[] od = out.data;
        if (panels != null) {
            panels.mult(yd, c, od, after, parallel((long) m * d * c));
            return;
        }
        int tasks = (m + FORWARD_ROWS - 1) / FORWARD_ROWS;
        if (precision == Precision.DOUBLE) {
            double[][] zt = new double[c][m];
            Parallel.forEach(tasks, parallel((long) m * d * c), t -> {
                int i0 = t * FORWARD_ROWS;
                int i1 = Math.min(m, i0 + FORWARD_ROWS);
                accumulate(byCol, 0, d, yd, c, zt, i0, i1);
                for (int i = i0; i < i1; i++) {
                    int o = i * c;
                    for (int j = 0; j < c; j++) {
                        od[o + j] = zt[j][i];
                    }
                }
                if (after != null) {
                    after.accept(i0, i1);
                }
            });
            return;
        }
        float[] yf = toFloat(yd);
        float[][] zt = new float[c][m];
        Parallel.forEach(tasks, parallel((long) m * d * c), t -> {
            int i0 = t * FORWARD_ROWS;
            int i1 = Math.min(m, i0 + FORWARD_ROWS);
            accumulate(floatByCol, 0, d, yf, c, zt, i0, i1);
            for (int i = i0; i < i1; i++) {
                int o = i * c;
                for (int j = 0; j < c; j++) {
                    od[o + j] = zt[j][i];
                }
            }
            if (after != null) {
                after.accept(i0, i1);
            }
        });
    }

    /** @return v rounded entrywise to binary32: the operand of a single-precision product */
    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * {@code acc[j][q] += sum_{k in [k0, k1)} coef[k c + j] vecs[k][q]} for q in [q0, q1), eight vectors
     * at a time, then four, then one, in increasing k. The forward product runs it on the columns of A
     * ({@code vecs = byCol}, k = p, q = i), the backward product on the rows ({@code vecs = byRow},
     * k = i, q = p).
     */
    private static void accumulate(double[][] vecs, int k0, int k1, double[] coef, int c, double[][] acc, int q0,
            int q1) {
        int k = k0;
        for (; k + 7 < k1; k += 8) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                int b = o + j;
                axpy8(coef[b], vecs[k], coef[b + c], vecs[k + 1], coef[b + 2 * c], vecs[k + 2], coef[b + 3 * c],
                        vecs[k + 3], coef[b + 4 * c], vecs[k + 4], coef[b + 5 * c], vecs[k + 5], coef[b + 6 * c],
                        vecs[k + 6], coef[b + 7 * c], vecs[k + 7], acc[j], q0, q1);
            }
        }
        for (; k + 3 < k1; k += 4) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy4(coef[o + j], vecs[k], coef[o + c + j], vecs[k + 1], coef[o + 2 * c + j], vecs[k + 2],
                        coef[o + 3 * c + j], vecs[k + 3], acc[j], q0, q1);
            }
        }
        for (; k < k1; k++) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy1(coef[o + j], vecs[k], acc[j], q0, q1);
            }
        }
    }

    /** The binary32 twin of the accumulation above: same passes, same order of sums. */
    private static void accumulate(float[][] vecs, int k0, int k1, float[] coef, int c, float[][] acc, int q0,
            int q1) {
        int k = k0;
        for (; k + 7 < k1; k += 8) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                int b = o + j;
                axpy8(coef[b], vecs[k], coef[b + c], vecs[k + 1], coef[b + 2 * c], vecs[k + 2], coef[b + 3 * c],
                        vecs[k + 3], coef[b + 4 * c], vecs[k + 4], coef[b + 5 * c], vecs[k + 5], coef[b + 6 * c],
                        vecs[k + 6], coef[b + 7 * c], vecs[k + 7], acc[j], q0, q1);
            }
        }
        for (; k + 3 < k1; k += 4) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy4(coef[o + j], vecs[k], coef[o + c + j], vecs[k + 1], coef[o + 2 * c + j], vecs[k + 2],
                        coef[o + 3 * c + j], vecs[k + 3], acc[j], q0, q1);
            }
        }
        for (; k < k1; k++) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy1(coef[o + j], vecs[k], acc[j], q0, q1);
            }
        }
    }

    /**
     * {@code out = A^T r}.
     *
     * @param r m x c, not modified
     * @param out d x c, modified; must not alias r
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void multTransA(DMatrixRMaj r, DMatrixRMaj out) {
        if (r.numRows != m || out.numRows != d || out.numCols != r.numCols) {
            throw new IllegalArgumentException("A is " + m + "x" + d + ", R is " + r.numRows + "x" + r.numCols
                    + ", out is " + out.numRows + "x" + out.numCols);
        }
        if (out == r) {
            throw new IllegalArgumentException("out must not alias r");
        }
        int c = r.numCols;
        if (c == 0 || d == 0) {
            return;
        }
        double[] rd = r.data;
        if (panels != null) {
            panels.multTransA(rd, c, out.data, parallel((long) m * d * c));
            return;
        }
        int chunks = Math.max(1, Math.min(BACKWARD_MAX_CHUNKS, m / BACKWARD_MIN_ROWS));
        // p-blocks keep the c columns of a block of G in L2 while rows of A stream by
        int pb = Math.max(64, (8192 / c) & ~7);
        double[][][] partial = new double[chunks][][];
        float[] rf = precision == Precision.SINGLE ? toFloat(rd) : null;
        Parallel.forEach(chunks, parallel((long) m * d * c), t -> {
            int i0 = (int) ((long) m * t / chunks);
            int i1 = (int) ((long) m * (t + 1) / chunks);
            if (precision == Precision.DOUBLE) {
                double[][] gt = new double[c][d];
                for (int p0 = 0; p0 < d; p0 += pb) {
                    accumulate(byRow, i0, i1, rd, c, gt, p0, Math.min(d, p0 + pb));
                }
                partial[t] = gt;
            } else {
                float[][] gt = new float[c][d];
                for (int p0 = 0; p0 < d; p0 += pb) {
                    accumulate(floatByRow, i0, i1, rf, c, gt, p0, Math.min(d, p0 + pb));
                }
                double[][] widened = new double[c][d];
                for (int j = 0; j < c; j++) {
                    for (int p = 0; p < d; p++) {
                        widened[j][p] = gt[j][p];
                    }
                }
                partial[t] = widened;
            }
        });
        double[] od = out.data;
        for (int j = 0; j < c; j++) {
            double[] sum = partial[0][j];
            for (int t = 1; t < chunks; t++) {
                double[] g = partial[t][j];
                for (int p = 0; p < d; p++) {
                    sum[p] += g[p];
                }
            }
            for (int p = 0; p < d; p++) {
                od[p * c + j] = sum[p];
            }
        }
    }

    /** {@code y[q] += s0 x0[q] + ... + s7 x7[q]} for q in [q0, q1), in that order. */
    private static void axpy8(double s0, double[] x0, double s1, double[] x1, double s2, double[] x2, double s3,
            double[] x3, double s4, double[] x4, double s5, double[] x5, double s6, double[] x6, double s7,
            double[] x7, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            double t = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
            y[q] = JavaGemm.fma(s7, x7[q], JavaGemm.fma(s6, x6[q], JavaGemm.fma(s5, x5[q], JavaGemm.fma(s4, x4[q], t))));
        }
    }

    /** {@code y[q] += s0 x0[q] + s1 x1[q] + s2 x2[q] + s3 x3[q]} for q in [q0, q1), in that order. */
    private static void axpy4(double s0, double[] x0, double s1, double[] x1, double s2, double[] x2, double s3,
            double[] x3, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
        }
    }

    /** {@code y[q] += s0 x0[q]} for q in [q0, q1). */
    private static void axpy1(double s0, double[] x0, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s0, x0[q], y[q]);
        }
    }

    /** binary32: {@code y[q] += s0 x0[q] + ... + s7 x7[q]} for q in [q0, q1), in that order. */
    private static void axpy8(float s0, float[] x0, float s1, float[] x1, float s2, float[] x2, float s3,
            float[] x3, float s4, float[] x4, float s5, float[] x5, float s6, float[] x6, float s7,
            float[] x7, float[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            float t = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
            y[q] = JavaGemm.fma(s7, x7[q], JavaGemm.fma(s6, x6[q], JavaGemm.fma(s5, x5[q], JavaGemm.fma(s4, x4[q], t))));
        }
    }

    /** binary32: {@code y[q] += s0 x0[q] + s1 x1[q] + s2 x2[q] + s3 x3[q]} for q in [q0, q1), in that order. */
    private static void axpy4(float s0, float[] x0, float s1, float[] x1, float s2, float[] x2, float s3,
            float[] x3, float[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
        }
    }

    /** binary32: {@code y[q] += s0 x0[q]} for q in [q0, q1). */
    private static void axpy1(float s0, float[] x0, float[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s0, x0[q], y[q]);
        }
    }
}
