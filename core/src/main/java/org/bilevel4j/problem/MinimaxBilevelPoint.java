package org.bilevel4j.problem;

import org.ejml.data.DMatrixRMaj;

/**
 * A point (x1, x2, y1, y2) of a {@link MinimaxBilevelProblem}: the start and the solution of its
 * solvers. The record holds its own n x 1 copies; callers must not modify what the accessors return.
 *
 * @param x1 the upper-level minimization variable
 * @param x2 the upper-level maximization variable (possibly 0 x 1)
 * @param y1 the lower-level minimization variable
 * @param y2 the lower-level maximization variable (possibly 0 x 1)
 */
public record MinimaxBilevelPoint(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {

    /**
     * Copies every block into an n x 1 vector.
     *
     * @param x1 the upper-level minimization variable
     * @param x2 the upper-level maximization variable (possibly 0 x 1)
     * @param y1 the lower-level minimization variable
     * @param y2 the lower-level maximization variable (possibly 0 x 1)
     */
    public MinimaxBilevelPoint {
        x1 = column(x1);
        x2 = column(x2);
        y1 = column(y1);
        y2 = column(y2);
    }

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @param x2 the upper-level maximization block x2, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @return a point from plain arrays (copied)
     */
    public static MinimaxBilevelPoint of(double[] x1, double[] x2, double[] y1, double[] y2) {
        return new MinimaxBilevelPoint(DMatrixRMaj.wrap(x1.length, 1, x1), DMatrixRMaj.wrap(x2.length, 1, x2),
                DMatrixRMaj.wrap(y1.length, 1, y1), DMatrixRMaj.wrap(y2.length, 1, y2));
    }

    private static DMatrixRMaj column(DMatrixRMaj v) {
        DMatrixRMaj c = new DMatrixRMaj(v.getNumElements(), 1);
        System.arraycopy(v.data, 0, c.data, 0, v.getNumElements());
        return c;
    }

    /** @return all blocks stacked as one array (x1, x2, y1, y2) */
    public double[] toArray() {
        int n = x1.getNumElements() + x2.getNumElements() + y1.getNumElements() + y2.getNumElements();
        double[] a = new double[n];
        int o = 0;
        for (DMatrixRMaj b : new DMatrixRMaj[] {x1, x2, y1, y2}) {
            System.arraycopy(b.data, 0, a, o, b.getNumElements());
            o += b.getNumElements();
        }
        return a;
    }

    @Override
    public String toString() {
        return "(x1=" + str(x1) + ", x2=" + str(x2) + ", y1=" + str(y1) + ", y2=" + str(y2) + ")";
    }

    private static String str(DMatrixRMaj v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.getNumElements(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(String.format(java.util.Locale.ROOT, "%.6g", v.data[i]));
        }
        return sb.append(']').toString();
    }
}
