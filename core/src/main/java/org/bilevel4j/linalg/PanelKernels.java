package org.bilevel4j.linalg;

import java.util.Optional;

/**
 * The register-blocked kernels of {@link TallMatrix} on the JDK's Vector API: {@link DoublePanels}
 * and {@link FloatPanels}. On JDK 17 the API is the incubator module {@code jdk.incubator.vector},
 * resolved only when the JVM is started with {@code --add-modules jdk.incubator.vector} (the
 * {@code bilevel4j} launcher does so for the commands that use these kernels; the JVM then prints
 * one warning line about the incubator module). Without the module, or with the system property
 * {@code bilevel4j.vector=false}, TallMatrix uses its streaming kernels and these classes are
 * never loaded. Package-private.
 */
interface PanelKernels {

    /** Outputs (columns of Y or R) per pass over a panel: 2 x BLOCK accumulators in registers. */
    int BLOCK = 10;

    /** Rows of A summed in the working precision before a backward partial sum is added in double. */
    int CHUNK = 256;

    /** Whether the module is present and not switched off: read once. */
    boolean AVAILABLE = available();

    private static boolean available() {
        if ("false".equalsIgnoreCase(System.getProperty("bilevel4j.vector", "").trim())) {
            return false;
        }
        Optional<Module> module = ModuleLayer.boot().findModule("jdk.incubator.vector");
        return module.isPresent();
    }

    /**
     * @param a row-major m x d
     * @return the kernels for a in the given precision; call only when {@link #AVAILABLE}
     */
    static PanelKernels of(double[] a, int m, int d, Precision precision) {
        return precision == Precision.DOUBLE ? new DoublePanels(a, m, d) : new FloatPanels(a, m, d);
    }

    /** @return {@code A[i, p]} as stored */
    double get(int i, int p);

    /** {@code out = A y}, y d x c and out m x c row-major; {@code after} as in {@link TallMatrix#mult}. */
    void mult(double[] y, int c, double[] out, TallMatrix.RowBlockAction after, boolean parallel);

    /** {@code out = A^T r}, r m x c and out d x c row-major. */
    void multTransA(double[] r, int c, double[] out, boolean parallel);
}
