package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * Stacking of vector blocks into one vector and back, for the problems that the builders assemble
 * from {@link org.bilevel4j.function.SmoothFunction}s of the stacked variable.
 */
final class Stacked {

    private Stacked() {
    }

    /** @return the blocks one under the other, as a new column vector */
    static DMatrixRMaj stack(DMatrixRMaj... blocks) {
        int n = 0;
        for (DMatrixRMaj b : blocks) {
            n += b.getNumElements();
        }
        DMatrixRMaj z = new DMatrixRMaj(n, 1);
        int o = 0;
        for (DMatrixRMaj b : blocks) {
            System.arraycopy(b.data, 0, z.data, o, b.getNumElements());
            o += b.getNumElements();
        }
        return z;
    }

    /** Copies entries {@code [offset, offset + out.size)} of z into out (skipped when out is null). */
    static void part(DMatrixRMaj z, int offset, DMatrixRMaj out) {
        if (out != null && out.getNumElements() > 0) {
            System.arraycopy(z.data, offset, out.data, 0, out.getNumElements());
        }
    }
}
