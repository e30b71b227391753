package org.bilevel4j.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelKernels} in binary32 on the JDK's Vector API ({@code jdk.incubator.vector}). A is
 * packed twice: into panels of {@code P = 2 L} rows for the forward product
 * ({@code rowPanels[b][k P + r] = A[b P + r, k]}) and into panels of P columns for the backward
 * product ({@code colPanels[b][i P + r] = A[i, b P + r]}), L the lanes of the platform's preferred
 * vector of float, zero past the last row or column. A pass over a panel keeps
 * 2 x {@link PanelKernels#BLOCK} vector accumulators in registers for the whole panel: per step it
 * loads two vectors of the panel and broadcasts ten coefficients into twenty fused multiply-adds,
 * where the streaming kernels of {@link TallMatrix} load and store an accumulator for every few
 * multiply-adds.
 *
 * <p>The forward product sums every entry over all d terms in increasing order; the backward
 * product sums chunks of {@link PanelKernels#CHUNK} rows in increasing order and adds the chunks'
 * sums in double, in chunk order. Tasks own disjoint panels (rows of the forward result, rows of
 * the backward result), so the results do not depend on the number of threads.
 * Each product rounds its operand to binary32 first. {@link DoublePanels} is the same
 * code on binary64; keep the two in step.
 */
final class FloatPanels implements PanelKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int P = 2 * L;

    private final int m;
    private final int d;
    private final float[][] rowPanels;
    private final float[][] colPanels;

    /** @param a row-major m x d, copied, each entry rounded to the nearest binary32 */
    FloatPanels(double[] a, int m, int d) {
        this.m = m;
        this.d = d;
        rowPanels = new float[(m + P - 1) / P][d * P];
        colPanels = new float[(d + P - 1) / P][m * P];
        for (int i = 0; i < m; i++) {
            float[] rp = rowPanels[i / P];
            int r = i % P;
            for (int p = 0; p < d; p++) {
                float v = (float) a[i * d + p];
                rp[p * P + r] = v;
                colPanels[p / P][i * P + p % P] = v;
            }
        }
    }

    @Override
    public double get(int i, int p) {
        return rowPanels[i / P][p * P + i % P];
    }

    @Override
    public void mult(double[] y, int c, double[] out, TallMatrix.RowBlockAction after, boolean parallel) {
        float[] coef = TallMatrix.toFloat(y);
        int perTask = Math.max(1, TallMatrix.FORWARD_ROWS / P);
        int tasks = (rowPanels.length + perTask - 1) / perTask;
        Parallel.forEach(tasks, parallel, t -> {
            float[] dst = new float[BLOCK * P];
            int b1 = Math.min(rowPanels.length, (t + 1) * perTask);
            for (int b = t * perTask; b < b1; b++) {
                int i0 = b * P;
                int rows = Math.min(P, m - i0);
                for (int j0 = 0; j0 < c; j0 += BLOCK) {
                    int w = Math.min(BLOCK, c - j0);
                    pass(rowPanels[b], 0, d, coef, c, j0, w, dst);
                    for (int u = 0; u < w; u++) {
                        for (int r = 0; r < rows; r++) {
                            out[(i0 + r) * c + j0 + u] = dst[u * P + r];
                        }
                    }
                }
            }
            if (after != null) {
                after.accept(t * perTask * P, Math.min(m, b1 * P));
            }
        });
    }

    @Override
    public void multTransA(double[] r, int c, double[] out, boolean parallel) {
        float[] coef = TallMatrix.toFloat(r);
        Parallel.forEach(colPanels.length, parallel, b -> {
            float[] dst = new float[BLOCK * P];
            double[] sum = new double[c * P];
            // a chunk of rows stays in L1 while every block of outputs passes over it
            for (int i0 = 0; i0 < m; i0 += CHUNK) {
                for (int j0 = 0; j0 < c; j0 += BLOCK) {
                    int w = Math.min(BLOCK, c - j0);
                    pass(colPanels[b], i0, Math.min(m, i0 + CHUNK), coef, c, j0, w, dst);
                    for (int q = 0; q < w * P; q++) {
                        sum[j0 * P + q] += dst[q];
                    }
                }
            }
            int p0 = b * P;
            int cols = Math.min(P, d - p0);
            for (int j = 0; j < c; j++) {
                for (int q = 0; q < cols; q++) {
                    out[(p0 + q) * c + j] = sum[j * P + q];
                }
            }
        });
    }

    /**
     * {@code dst[u P + q] = sum_{k in [k0, k1)} coef[k c + j0 + u] panel[k P + q]} for u below w
     * (at most {@link PanelKernels#BLOCK}) and q below P, each sum in increasing k.
     */
    private static void pass(float[] panel, int k0, int k1, float[] coef, int c, int j0, int w, float[] dst) {
        if (w == BLOCK) {
            pass10(panel, k0, k1, coef, c, j0, dst);
            return;
        }
        for (int u = 0; u < w; u++) {
            pass1(panel, k0, k1, coef, c, j0 + u, dst, u * P);
        }
    }

    private static void pass1(float[] panel, int k0, int k1, float[] coef, int c, int j, float[] dst, int at) {
        FloatVector a = FloatVector.zero(S);
        FloatVector b = a;
        for (int k = k0; k < k1; k++) {
            FloatVector x = FloatVector.fromArray(S, panel, k * P);
            FloatVector z = FloatVector.fromArray(S, panel, k * P + L);
            FloatVector s = FloatVector.broadcast(S, coef[k * c + j]);
            a = x.fma(s, a);
            b = z.fma(s, b);
        }
        a.intoArray(dst, at);
        b.intoArray(dst, at + L);
    }

    // twenty accumulators kept in registers: written out, as the Vector API has no register arrays
    private static void pass10(float[] panel, int k0, int k1, float[] coef, int c, int j0, float[] dst) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        FloatVector b8 = a0;
        FloatVector b9 = a0;
        for (int k = k0; k < k1; k++) {
            FloatVector x = FloatVector.fromArray(S, panel, k * P);
            FloatVector z = FloatVector.fromArray(S, panel, k * P + L);
            int o = k * c + j0;
            FloatVector s;
            s = FloatVector.broadcast(S, coef[o]);
            a0 = x.fma(s, a0);
            b0 = z.fma(s, b0);
            s = FloatVector.broadcast(S, coef[o + 1]);
            a1 = x.fma(s, a1);
            b1 = z.fma(s, b1);
            s = FloatVector.broadcast(S, coef[o + 2]);
            a2 = x.fma(s, a2);
            b2 = z.fma(s, b2);
            s = FloatVector.broadcast(S, coef[o + 3]);
            a3 = x.fma(s, a3);
            b3 = z.fma(s, b3);
            s = FloatVector.broadcast(S, coef[o + 4]);
            a4 = x.fma(s, a4);
            b4 = z.fma(s, b4);
            s = FloatVector.broadcast(S, coef[o + 5]);
            a5 = x.fma(s, a5);
            b5 = z.fma(s, b5);
            s = FloatVector.broadcast(S, coef[o + 6]);
            a6 = x.fma(s, a6);
            b6 = z.fma(s, b6);
            s = FloatVector.broadcast(S, coef[o + 7]);
            a7 = x.fma(s, a7);
            b7 = z.fma(s, b7);
            s = FloatVector.broadcast(S, coef[o + 8]);
            a8 = x.fma(s, a8);
            b8 = z.fma(s, b8);
            s = FloatVector.broadcast(S, coef[o + 9]);
            a9 = x.fma(s, a9);
            b9 = z.fma(s, b9);
        }
        a0.intoArray(dst, 0);
        b0.intoArray(dst, L);
        a1.intoArray(dst, P);
        b1.intoArray(dst, P + L);
        a2.intoArray(dst, 2 * P);
        b2.intoArray(dst, 2 * P + L);
        a3.intoArray(dst, 3 * P);
        b3.intoArray(dst, 3 * P + L);
        a4.intoArray(dst, 4 * P);
        b4.intoArray(dst, 4 * P + L);
        a5.intoArray(dst, 5 * P);
        b5.intoArray(dst, 5 * P + L);
        a6.intoArray(dst, 6 * P);
        b6.intoArray(dst, 6 * P + L);
        a7.intoArray(dst, 7 * P);
        b7.intoArray(dst, 7 * P + L);
        a8.intoArray(dst, 8 * P);
        b8.intoArray(dst, 8 * P + L);
        a9.intoArray(dst, 9 * P);
        b9.intoArray(dst, 9 * P + L);
    }
}
