package org.bilevel4j.apps.robust;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Per-class mean cross-entropies of a linear softmax model on one labelled set: for {@code W} in
 * {@code R^{D x K}} (row-major, D features including the constant, K classes),
 * <pre>
 *   L_k(W) = (1/n_k) sum_{i: y_i = k} CE_i(W),   CE_i(W) = log sum_c exp(x_i^T W e_c) - x_i^T W e_{y_i},
 * </pre>
 * and the gradient of a weighted sum {@code sum_k c_k L_k(W)}:
 * {@code sum_i (c_{y_i} / n_{y_i}) x_i (s_i - e_{y_i})^T}, {@code s_i} the softmax of the logits.
 * Every class must have at least one sample. Holds work buffers: not safe for concurrent use.
 *
 * <p>Bounds used for step sizes: the Hessian of {@code L_k} is
 * {@code (1/n_k) sum_i (diag(s_i) - s_i s_i^T) (x) x_i x_i^T}, and {@code ||diag(s) - s s^T|| <= 1/2}, so
 * {@code ||grad^2 L_k|| <= h_k = lambda_max(X_k^T X_k / n_k) / 2} ({@link #hessianBound}); with
 * {@code ||s_i - e_{y_i}||^2 <= 2}, {@code ||grad L_k||_F <= sqrt(2 h_k) sqrt(2) = 2 sqrt(h_k)}.
 */
public final class ClassLosses {

    private final DMatrixRMaj x;
    private final int[] labels;
    private final int classes;
    private final int[] counts;
    private final double[] hessianBounds;
    private final double[] logits;
    private final double[] resid;

    /**
     * @param x samples, n x D
     * @param labels their classes in 0..classes-1
     * @param classes K
     * @throws IllegalArgumentException when sizes differ, a label is out of range or a class is empty
     */
    public ClassLosses(DMatrixRMaj x, int[] labels, int classes) {
        if (x.numRows != labels.length) {
            throw new IllegalArgumentException(x.numRows + " samples but " + labels.length + " labels");
        }
        this.x = x;
        this.labels = labels.clone();
        this.classes = classes;
        counts = new int[classes];
        for (int l : labels) {
            if (l < 0 || l >= classes) {
                throw new IllegalArgumentException("label " + l + " is not a class 0-" + (classes - 1));
            }
            counts[l]++;
        }
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no samples");
            }
        }
        logits = new double[labels.length * classes];
        resid = new double[labels.length * classes];
        hessianBounds = new double[classes];
        int d = x.numCols;
        for (int k = 0; k < classes; k++) {
            DMatrixRMaj m = new DMatrixRMaj(d, d);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != k) {
                    continue;
                }
                int o = i * d;
                for (int a = 0; a < d; a++) {
                    double xa = x.data[o + a] / counts[k];
                    for (int b = 0; b < d; b++) {
                        m.data[a * d + b] += xa * x.data[o + b];
                    }
                }
            }
            hessianBounds[k] = 0.5 * largestEigenvalue(m);
        }
    }

    static double largestEigenvalue(DMatrixRMaj sym) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(sym.numRows, false, true);
        if (!eig.decompose(sym.copy())) {
            throw new IllegalStateException("eigendecomposition failed");
        }
        double m = 0;
        for (int j = 0; j < sym.numRows; j++) {
            m = Math.max(m, eig.getEigenvalue(j).getReal());
        }
        return m;
    }

    /** @return K */
    public int classes() {
        return classes;
    }

    /** @return D */
    public int dimension() {
        return x.numCols;
    }

    /** @return the number of samples */
    public int samples() {
        return labels.length;
    }

    /**
     * @param k a class, in [0, K)
     * @return n_k, the samples of class k
     */
    public int count(int k) {
        return counts[k];
    }

    /**
     * @param k a class, in [0, K)
     * @return h_k = lambda_max(X_k^T X_k / n_k) / 2, a bound on the Hessian norm of L_k
     */
    public double hessianBound(int k) {
        return hessianBounds[k];
    }

    /** @return max_k h_k: bounds the Hessian of any convex combination of the L_k */
    public double maxHessianBound() {
        double m = 0;
        for (double h : hessianBounds) {
            m = Math.max(m, h);
        }
        return m;
    }

    /**
     * @return {@code sqrt(sum_k 4 h_k)}: bounds the spectral norm of the D K x K matrix
     *     {@code [vec grad L_1, ..., vec grad L_K]} everywhere
     */
    public double gradientMatrixBound() {
        double s = 0;
        for (double h : hessianBounds) {
            s += 4 * h;
        }
        return Math.sqrt(s);
    }

    private void checkW(DMatrixRMaj w) {
        if (w.numRows != x.numCols || w.numCols != classes) {
            throw new IllegalArgumentException("W is " + w.numRows + " x " + w.numCols + ", expected " + x.numCols
                    + " x " + classes);
        }
    }

    /** Fills the logits {@code X W}. */
    private void forward(DMatrixRMaj w) {
        checkW(w);
        int d = x.numCols;
        int kk = classes;
        double[] xd = x.data;
        double[] wd = w.data;
        for (int i = 0; i < labels.length; i++) {
            int o = i * d;
            int lo = i * kk;
            for (int c = 0; c < kk; c++) {
                logits[lo + c] = 0;
            }
            for (int a = 0; a < d; a++) {
                double xa = xd[o + a];
                int wo = a * kk;
                for (int c = 0; c < kk; c++) {
                    logits[lo + c] += xa * wd[wo + c];
                }
            }
        }
    }

    /**
     * The per-class losses at W. Modified: out (length K).
     *
     * @param w the weights W, D x K
     * @param out modified: receives {@code L_k(W)} at index k
     */
    public void losses(DMatrixRMaj w, double[] out) {
        forward(w);
        java.util.Arrays.fill(out, 0, classes, 0.0);
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]] += crossEntropy(i, null);
        }
        for (int k = 0; k < classes; k++) {
            out[k] /= counts[k];
        }
    }

    /** CE of sample i from the logits; writes the softmax into s at i's offset when s is not null. */
    private double crossEntropy(int i, double[] s) {
        int lo = i * classes;
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, logits[lo + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double e = Math.exp(logits[lo + c] - m);
            if (s != null) {
                s[lo + c] = e;
            }
            sum += e;
        }
        if (s != null) {
            for (int c = 0; c < classes; c++) {
                s[lo + c] /= sum;
            }
        }
        return m + Math.log(sum) - logits[lo + labels[i]];
    }

    /** Chooses the class weights of a gradient from the per-class losses at the same point. */
    @FunctionalInterface
    public interface WeightRule {
        /**
         * Writes the weights c_k for the losses L_k. Modified: out. Not modified: losses.
         *
         * @param losses the per-class losses {@code L_k}, length K
         * @param out modified: receives the weights {@code c_k}, length K
         */
        void weights(double[] losses, double[] out);
    }

    /**
     * The per-class losses at W and the gradient of {@code sum_k c_k L_k(W)}.
     * Modified: lossesOut (length K), gradOut (D x K, overwritten).
     *
     * @param w the weights W, D x K
     * @param c the class weights c_k (any sign), length K
     * @param lossesOut modified: receives {@code L_k(W)} at index k
     * @param gradOut modified: receives {@code sum_k c_k grad L_k(W)}, D x K
     */
    public void lossesAndGradient(DMatrixRMaj w, double[] c, double[] lossesOut, DMatrixRMaj gradOut) {
        lossesAndGradient(w, (l, out) -> System.arraycopy(c, 0, out, 0, classes), lossesOut, new double[classes],
                gradOut);
    }

    /**
     * The per-class losses at W, weights {@code c = rule(L(W))} and the gradient of
     * {@code sum_k c_k L_k} at W with c held fixed (one pass over the data for the logits, one for the
     * gradient). Modified: lossesOut, weightsOut (length K), gradOut (D x K, overwritten).
     *
     * @param w the weights W, D x K
     * @param rule gives the weights c from the losses
     * @param lossesOut modified: receives {@code L_k(W)} at index k
     * @param weightsOut modified: receives {@code c = rule(L(W))}
     * @param gradOut modified: receives {@code sum_k c_k grad L_k(W)}, D x K
     * @throws IllegalArgumentException when gradOut is not D x K
     */
    public void lossesAndGradient(DMatrixRMaj w, WeightRule rule, double[] lossesOut, double[] weightsOut,
            DMatrixRMaj gradOut) {
        forward(w);
        if (gradOut.numRows != x.numCols || gradOut.numCols != classes) {
            throw new IllegalArgumentException("gradient buffer is " + gradOut.numRows + " x " + gradOut.numCols);
        }
        java.util.Arrays.fill(lossesOut, 0, classes, 0.0);
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            lossesOut[y] += crossEntropy(i, resid);
            resid[i * classes + y] -= 1.0;
        }
        for (int k = 0; k < classes; k++) {
            lossesOut[k] /= counts[k];
        }
        rule.weights(lossesOut, weightsOut);
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            double sc = weightsOut[y] / counts[y];
            int lo = i * classes;
            for (int k = 0; k < classes; k++) {
                resid[lo + k] *= sc;
            }
        }
        DMatrixRMaj r = DMatrixRMaj.wrap(labels.length, classes, resid);
        CommonOps_DDRM.multTransA(x, r, gradOut);
    }

    /**
     * @param w the weights W, D x K
     * @return the fraction of correctly classified samples of each class (argmax, first on ties), length K
     */
    public double[] classAccuracy(DMatrixRMaj w) {
        forward(w);
        double[] acc = new double[classes];
        for (int i = 0; i < labels.length; i++) {
            int lo = i * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[lo + c] > logits[lo + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                acc[labels[i]]++;
            }
        }
        for (int k = 0; k < classes; k++) {
            acc[k] /= counts[k];
        }
        return acc;
    }

    /**
     * @param w the weights W, D x K
     * @return the fraction of correctly classified samples overall
     */
    public double accuracy(DMatrixRMaj w) {
        double[] a = classAccuracy(w);
        double s = 0;
        for (int k = 0; k < classes; k++) {
            s += a[k] * counts[k];
        }
        return s / labels.length;
    }
}
