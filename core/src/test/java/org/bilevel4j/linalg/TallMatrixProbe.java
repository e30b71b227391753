package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Run in a JVM of its own by {@code TallMatrixModuleTest}: builds a TallMatrix in each precision,
 * multiplies a small matrix by the identity and prints the kernels and whether the product was exact.
 */
public final class TallMatrixProbe {

    private TallMatrixProbe() {
    }

    public static void main(String[] args) {
        DMatrixRMaj a = new DMatrixRMaj(40, 3);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = i - 17;
        }
        DMatrixRMaj identity = new DMatrixRMaj(3, 3);
        for (int j = 0; j < 3; j++) {
            identity.set(j, j, 1);
        }
        for (Precision p : Precision.values()) {
            TallMatrix t = new TallMatrix(a, p);
            DMatrixRMaj z = new DMatrixRMaj(40, 3);
            t.mult(identity, z);
            boolean exact = java.util.Arrays.equals(z.data, a.data);
            System.out.println(t.kernels() + ": " + (exact ? "exact" : "WRONG"));
        }
        // the thin QR's eight-column dot products (k = 9: the first reflector meets eight columns)
        DMatrixRMaj b = new DMatrixRMaj(40, 9);
        for (int i = 0; i < b.getNumElements(); i++) {
            b.data[i] = (i * 7 % 13) - 6 + (i % 9 == i / 9 % 9 ? 20 : 0);
        }
        double[] s = ThinFactorSvd.singularValues(b);
        double[] ref = org.ejml.dense.row.SingularOps_DDRM.singularValues(b);
        java.util.Arrays.sort(ref);
        boolean close = true;
        for (int j = 0; j < 9; j++) {
            close &= Math.abs(s[j] - ref[8 - j]) <= 1e-12 * ref[8];
        }
        System.out.println("thin QR dot products " + (ThinFactorSvd.VECTOR_DOTS ? "on the Vector API" : "scalar")
                + ": " + (close ? "close" : "WRONG"));
        // an m x r by r x r product through Gemm against the dot-product kernel: the same bits either way
        DMatrixRMaj x = new DMatrixRMaj(300, 9);
        for (int i = 0; i < x.getNumElements(); i++) {
            x.data[i] = Math.sin(i) * 3;
        }
        DMatrixRMaj w = new DMatrixRMaj(9, 9);
        for (int i = 0; i < w.getNumElements(); i++) {
            w.data[i] = Math.cos(i * 0.7) / 3;
        }
        DMatrixRMaj xw = new DMatrixRMaj(300, 9);
        JavaGemm.gemm(false, false, 1.0, x, w, 0.0, xw);
        DMatrixRMaj dots = new DMatrixRMaj(300, 9);
        JavaGemm.rowDots(1.0, x.data, 300, 9, org.ejml.dense.row.CommonOps_DDRM.transpose(w, null).data, 9, 0.0,
                dots.data, false);
        // and the Gram matrix of x against its running sums (the tiles without the module)
        double[] g = JavaGemm.gramRows(x.data, 9, 0, 300);
        boolean gramSame = true;
        for (int p = 0; p < 9; p++) {
            for (int q = p; q < 9; q++) {
                double sum = 0;
                for (int i = 0; i < 300; i++) {
                    sum = JavaGemm.fma(x.get(i, p), x.get(i, q), sum);
                }
                gramSame &= g[p * 9 + q] == sum;
            }
        }
        System.out.println("m x r by r x r products " + (JavaGemm.VECTOR_ROWS ? "on the Vector API" : "as dot products")
                + ": " + (java.util.Arrays.equals(xw.data, dots.data) && gramSame ? "same bits" : "WRONG"));
        // the passes over a data matrix of at least JavaGemm.VECTOR_PASS_WORK multiply-adds (2304 x 198 by 9:
        // 4.1 million): X^T M against the scalar chunks (four here) added in order, M Y^T from the copy by
        // columns against the dot-product kernel; loading VectorRowDots without the module would fail here
        int rows = 2304;
        int cols = 198;
        DMatrixRMaj f = new DMatrixRMaj(rows, 9);
        for (int i = 0; i < f.getNumElements(); i++) {
            f.data[i] = i % 5 == 0 ? 0.0 : Math.sin(0.3 * i);
        }
        DMatrixRMaj data = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < data.getNumElements(); i++) {
            data.data[i] = Math.cos(0.1 * i);
        }
        DMatrixRMaj ftm = new DMatrixRMaj(9, cols);
        JavaGemm.gemm(true, false, 1.0, f, data, 0.0, ftm);
        double[] sum = new double[9 * cols];
        for (int t = 0; t < 4; t++) {
            double[][] part = JavaGemm.reduceChunk(true, f, data, 9, cols, rows * t / 4, rows * (t + 1) / 4);
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < cols; j++) {
                    sum[i * cols + j] = t == 0 ? part[i][j] : sum[i * cols + j] + part[i][j];
                }
            }
        }
        DMatrixRMaj y = new DMatrixRMaj(9, cols);
        System.arraycopy(ftm.data, 0, y.data, 0, y.data.length);
        DMatrixRMaj byCopy = new DMatrixRMaj(rows, 9);
        new TransposedMatrix(data).multTransB(y, byCopy);
        DMatrixRMaj byDots = new DMatrixRMaj(rows, 9);
        JavaGemm.rowDots(1.0, data.data, rows, cols, y.data, 9, 0.0, byDots.data, false);
        boolean passesSame = java.util.Arrays.equals(ftm.data, sum)
                && java.util.Arrays.equals(byCopy.data, byDots.data);
        System.out.println("passes over M " + (JavaGemm.vectorPass((long) rows * cols * 9) ? "on the Vector API"
                : "scalar") + ": " + (passesSame ? "same bits" : "WRONG"));
        // M Y^T from M itself (no copy): the padded kernel past the threshold with the module, the dot products
        // without; a gate that loaded VectorRowDots first would fail here without the module
        DMatrixRMaj fromRows = new DMatrixRMaj(rows, 9);
        JavaGemm.gemm(false, true, 1.0, data, y, 0.0, fromRows);
        System.out.println("M Y^T from long rows " + (JavaGemm.paddedRows(rows, cols, 9) ? "on the Vector API"
                : "as dot products") + ": " + (java.util.Arrays.equals(fromRows.data, byCopy.data) ? "same bits"
                : "WRONG"));
    }
}
