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
    }
}
