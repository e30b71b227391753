package org.bilevel4j.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot products of {@link ThinFactorSvd}'s Householder QR on the JDK's Vector API
 * ({@code jdk.incubator.vector}), loaded only when {@link PanelKernels#AVAILABLE}. C2 on JDK 17 does
 * not vectorize a floating-point sum, so the scalar kernel runs at most one or two multiply-adds per
 * cycle; here each of the eight dot products keeps one vector of partial sums (L lanes, the platform's
 * preferred vector of double), adds the lanes in lane order at the end, and adds that to the plain sum
 * of the rows past the last whole vector. Measured on 2304-row columns: 12.5 multiply-adds per nanosecond against 4.7
 * for the scalar eight-column kernel (AVX-512, 8 lanes).
 *
 * <p>The order of the sums is fixed by the lanes and the row range, so the result is the same on every
 * call; it differs from the scalar kernel's by rounding (each sum is cut into L interleaved partial
 * sums), which moves R by rounding only. Package-private.
 */
final class VectorDots {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorDots() {
    }

    /** @return the lanes of a vector of double here */
    static int lanes() {
        return L;
    }

    /**
     * {@code out[q] = sum_{j <= i < rows} v[i] c[l + q][i]} for q below 8.
     *
     * @param v the reflector
     * @param c the columns
     * @param l the first of the eight columns
     * @param j the first row
     * @param rows one past the last row
     * @param out the eight sums (written)
     */
    static void dots8(double[] v, double[][] c, int l, int j, int rows, double[] out) {
        double[] c0 = c[l];
        double[] c1 = c[l + 1];
        double[] c2 = c[l + 2];
        double[] c3 = c[l + 3];
        double[] c4 = c[l + 4];
        double[] c5 = c[l + 5];
        double[] c6 = c[l + 6];
        double[] c7 = c[l + 7];
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector a4 = a0;
        DoubleVector a5 = a0;
        DoubleVector a6 = a0;
        DoubleVector a7 = a0;
        int i = j;
        int upper = j + S.loopBound(rows - j);
        for (; i < upper; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, i);
            a0 = x.fma(DoubleVector.fromArray(S, c0, i), a0);
            a1 = x.fma(DoubleVector.fromArray(S, c1, i), a1);
            a2 = x.fma(DoubleVector.fromArray(S, c2, i), a2);
            a3 = x.fma(DoubleVector.fromArray(S, c3, i), a3);
            a4 = x.fma(DoubleVector.fromArray(S, c4, i), a4);
            a5 = x.fma(DoubleVector.fromArray(S, c5, i), a5);
            a6 = x.fma(DoubleVector.fromArray(S, c6, i), a6);
            a7 = x.fma(DoubleVector.fromArray(S, c7, i), a7);
        }
        out[0] = laneSum(a0) + tail(v, c0, i, rows);
        out[1] = laneSum(a1) + tail(v, c1, i, rows);
        out[2] = laneSum(a2) + tail(v, c2, i, rows);
        out[3] = laneSum(a3) + tail(v, c3, i, rows);
        out[4] = laneSum(a4) + tail(v, c4, i, rows);
        out[5] = laneSum(a5) + tail(v, c5, i, rows);
        out[6] = laneSum(a6) + tail(v, c6, i, rows);
        out[7] = laneSum(a7) + tail(v, c7, i, rows);
    }

    /**
     * {@code out[q] = sum_{j <= i < rows} v[i] c[l + q][i]} for q below 4 (the QR's group of four
     * columns), as {@link #dots8}.
     *
     * @param v the reflector
     * @param c the columns
     * @param l the first of the four columns
     * @param j the first row
     * @param rows one past the last row
     * @param out the four sums (entries 0 to 3 written)
     */
    static void dots4(double[] v, double[][] c, int l, int j, int rows, double[] out) {
        double[] c0 = c[l];
        double[] c1 = c[l + 1];
        double[] c2 = c[l + 2];
        double[] c3 = c[l + 3];
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        int i = j;
        int upper = j + S.loopBound(rows - j);
        for (; i < upper; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, i);
            a0 = x.fma(DoubleVector.fromArray(S, c0, i), a0);
            a1 = x.fma(DoubleVector.fromArray(S, c1, i), a1);
            a2 = x.fma(DoubleVector.fromArray(S, c2, i), a2);
            a3 = x.fma(DoubleVector.fromArray(S, c3, i), a3);
        }
        out[0] = laneSum(a0) + tail(v, c0, i, rows);
        out[1] = laneSum(a1) + tail(v, c1, i, rows);
        out[2] = laneSum(a2) + tail(v, c2, i, rows);
        out[3] = laneSum(a3) + tail(v, c3, i, rows);
    }

    /**
     * {@code sum_{j <= i < rows} v[i] w[i]} (the QR's single columns), as {@link #dots8}.
     *
     * @param v the reflector
     * @param w the column
     * @param j the first row
     * @param rows one past the last row
     * @return the dot product
     */
    static double dot(double[] v, double[] w, int j, int rows) {
        DoubleVector a = DoubleVector.zero(S);
        int i = j;
        int upper = j + S.loopBound(rows - j);
        for (; i < upper; i += L) {
            a = DoubleVector.fromArray(S, v, i).fma(DoubleVector.fromArray(S, w, i), a);
        }
        return laneSum(a) + tail(v, w, i, rows);
    }

    /**
     * One column's step of the look-ahead Householder QR ({@code ThinFactorSvd.householderLookAhead}): the
     * update {@code c[i] -= f v[i]} for rows {@code j <= i < rows} (the product rounded, then subtracted, as
     * the scalar update does), and the dot product of the next reflector w with the updated column over rows
     * {@code j + 1 <= i < rows}, summed as {@link #dot}{@code (w, c, j + 1, rows)} sums it (lanes from row
     * j + 1, fused multiply-adds, lanes in order, then the plain sum of the rows past the last whole vector):
     * the same bits as the update followed by that dot product, in one pass over the column instead of two.
     *
     * @param c the column, updated
     * @param f the reflector's coefficient for this column
     * @param v the reflector of this step
     * @param w the next reflector (entries from row j + 1)
     * @param j this step's first row
     * @param rows one past the last row
     * @return the dot product of w and the updated column over rows j + 1 to rows - 1
     */
    static double updateThenDot(double[] c, double f, double[] v, double[] w, int j, int rows) {
        c[j] -= f * v[j];
        int i = j + 1;
        int upper = i + S.loopBound(rows - i);
        DoubleVector vf = DoubleVector.broadcast(S, f);
        DoubleVector a = DoubleVector.zero(S);
        for (; i < upper; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, c, i).sub(vf.mul(DoubleVector.fromArray(S, v, i)));
            x.intoArray(c, i);
            a = DoubleVector.fromArray(S, w, i).fma(x, a);
        }
        for (int t = i; t < rows; t++) {
            c[t] -= f * v[t];
        }
        return laneSum(a) + tail(w, c, i, rows);
    }

    /**
     * {@link #updateThenDot} for the four columns {@code c[q], ..., c[q + 3]} with coefficients
     * {@code f[q], ..., f[q + 3]}, in one pass that loads v and w once per vector of rows for the four (four
     * independent sums, where one column alone waits on its chain of fused multiply-adds); the same bits as four
     * calls. Writes the dot products into {@code out[q], ..., out[q + 3]}.
     *
     * @param c the columns, four of them updated
     * @param q the first of the four
     * @param f the coefficients, by column index
     * @param v the reflector of this step
     * @param w the next reflector (entries from row j + 1)
     * @param j this step's first row
     * @param rows one past the last row
     * @param out receives the dot products, by column index
     */
    static void updateThenDot4(double[][] c, int q, double[] f, double[] v, double[] w, int j, int rows,
            double[] out) {
        double[] c0 = c[q];
        double[] c1 = c[q + 1];
        double[] c2 = c[q + 2];
        double[] c3 = c[q + 3];
        double f0 = f[q];
        double f1 = f[q + 1];
        double f2 = f[q + 2];
        double f3 = f[q + 3];
        c0[j] -= f0 * v[j];
        c1[j] -= f1 * v[j];
        c2[j] -= f2 * v[j];
        c3[j] -= f3 * v[j];
        int i = j + 1;
        int upper = i + S.loopBound(rows - i);
        DoubleVector g0 = DoubleVector.broadcast(S, f0);
        DoubleVector g1 = DoubleVector.broadcast(S, f1);
        DoubleVector g2 = DoubleVector.broadcast(S, f2);
        DoubleVector g3 = DoubleVector.broadcast(S, f3);
        DoubleVector a0 = DoubleVector.zero(S);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        for (; i < upper; i += L) {
            DoubleVector vi = DoubleVector.fromArray(S, v, i);
            DoubleVector wi = DoubleVector.fromArray(S, w, i);
            DoubleVector x0 = DoubleVector.fromArray(S, c0, i).sub(g0.mul(vi));
            DoubleVector x1 = DoubleVector.fromArray(S, c1, i).sub(g1.mul(vi));
            DoubleVector x2 = DoubleVector.fromArray(S, c2, i).sub(g2.mul(vi));
            DoubleVector x3 = DoubleVector.fromArray(S, c3, i).sub(g3.mul(vi));
            x0.intoArray(c0, i);
            x1.intoArray(c1, i);
            x2.intoArray(c2, i);
            x3.intoArray(c3, i);
            a0 = wi.fma(x0, a0);
            a1 = wi.fma(x1, a1);
            a2 = wi.fma(x2, a2);
            a3 = wi.fma(x3, a3);
        }
        for (int t = i; t < rows; t++) {
            c0[t] -= f0 * v[t];
            c1[t] -= f1 * v[t];
            c2[t] -= f2 * v[t];
            c3[t] -= f3 * v[t];
        }
        out[q] = laneSum(a0) + tail(w, c0, i, rows);
        out[q + 1] = laneSum(a1) + tail(w, c1, i, rows);
        out[q + 2] = laneSum(a2) + tail(w, c2, i, rows);
        out[q + 3] = laneSum(a3) + tail(w, c3, i, rows);
    }

    /** {@code sum_{from <= i < rows} v[i] w[i]}, in order: the rows past the last whole vector. */
    private static double tail(double[] v, double[] w, int from, int rows) {
        double s = 0;
        for (int i = from; i < rows; i++) {
            s += v[i] * w[i];
        }
        return s;
    }

    /** The lanes of a added in lane order (reduceLanes leaves the order of a floating-point sum open). */
    private static double laneSum(DoubleVector a) {
        double s = 0;
        for (int q = 0; q < L; q++) {
            s += a.lane(q);
        }
        return s;
    }
}
