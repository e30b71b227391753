package org.bilevel4j.apps.cleaning;

import java.util.List;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.linalg.TallMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * Multinomial logistic regression on one data set: design matrix A ({@code n x d}, last column of
 * ones for the bias), labels, and the parameter {@code Y} ({@code d x c}; logits {@code Z = A Y}).
 * Evaluations at a parameter (softmax probabilities and per-sample cross-entropies) cost one product
 * {@code A Y} and are memoized by the parameter's content for the last few parameters, so a solver
 * that asks twice at the same point pays once. Gradients are batched products {@code A^T R}, no
 * per-sample loops. Both products run on {@link TallMatrix}'s kernels for thin products, and the
 * softmax of a block of samples is taken on the thread that computed its logits, right after them.
 * Not thread-safe.
 */
public final class SoftmaxModel {

    /** Softmax probabilities and cross-entropies at one parameter. */
    static final class Eval {
        final DMatrixRMaj key;
        /** softmax probabilities, n x c */
        final DMatrixRMaj probs;
        /** per-sample cross-entropy */
        final double[] ce;
        long used;

        Eval(int d, int c, int n) {
            key = new DMatrixRMaj(d, c);
            probs = new DMatrixRMaj(n, c);
            ce = new double[n];
        }
    }

    final String name;
    final DMatrixRMaj design;
    private final TallMatrix tall;
    final int[] labels;
    final int classes;
    final ProductLog log;
    private final Eval[] cache;
    private long clock;
    private boolean hasEntries;
    // buffers of the fused products, grown on demand
    private DMatrixRMaj stackedParams;
    private DMatrixRMaj stackedLogits;
    private DMatrixRMaj stackedResiduals;
    private DMatrixRMaj stackedGradients;

    /**
     * @param name the data set's name in the {@link ProductLog}
     * @param design n x d, not copied: do not modify it afterwards
     * @param labels n labels in [0, classes)
     * @param cacheSize how many evaluations to keep, at least 1
     * @param classes the number of classes
     * @param log the log of the products, or null
     */
    public SoftmaxModel(String name, DMatrixRMaj design, int[] labels, int classes, int cacheSize, ProductLog log) {
        this(name, design, labels, classes, cacheSize, log, Precision.DOUBLE);
    }

    /**
     * @param name the data set's name in the {@link ProductLog}
     * @param design n x d, not copied: do not modify it afterwards
     * @param labels n labels in [0, classes)
     * @param cacheSize how many evaluations to keep, at least 1
     * @param precision the format of the products (see {@link TallMatrix}); softmax and losses are
     *     always computed in double
     * @param classes the number of classes
     * @param log the log of the products, or null
     */
    public SoftmaxModel(String name, DMatrixRMaj design, int[] labels, int classes, int cacheSize, ProductLog log,
            Precision precision) {
        if (design.numRows != labels.length) {
            throw new IllegalArgumentException(design.numRows + " samples but " + labels.length + " labels");
        }
        if (cacheSize < 2) {
            throw new IllegalArgumentException("cacheSize must be at least 2, got " + cacheSize);
        }
        this.name = name;
        this.design = design;
        this.tall = new TallMatrix(design, precision);
        this.labels = labels;
        this.classes = classes;
        this.log = log != null ? log : new ProductLog(); // null: the products are counted where no one reads them
        cache = new Eval[cacheSize];
    }

    /** @return the prepared design matrix the products run on (immutable, shared) */
    public TallMatrix matrix() {
        return tall;
    }

    /** @return which kernels, in which precision, run the products ({@link TallMatrix#kernels()}) */
    public String kernels() {
        return tall.kernels();
    }

    /** @return the number of samples */
    public int samples() {
        return design.numRows;
    }

    /** @return the number of parameter rows d (features + bias) */
    public int features() {
        return design.numCols;
    }

    private Eval lookup(DMatrixRMaj y) {
        if (!hasEntries) {
            return null;
        }
        for (Eval e : cache) {
            if (e != null && e.used > 0 && sameContent(e.key, y)) {
                e.used = ++clock;
                return e;
            }
        }
        return null;
    }

    private static boolean sameContent(DMatrixRMaj a, DMatrixRMaj b) {
        int n = a.getNumElements();
        if (n != b.getNumElements()) {
            return false;
        }
        double[] x = a.data;
        double[] y = b.data;
        for (int i = 0; i < n; i++) {
            if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                return false;
            }
        }
        return true;
    }

    /** @return the least recently used slot, emptied */
    private Eval slot(int avoid1, int avoid2) {
        int best = -1;
        for (int i = 0; i < cache.length; i++) {
            if (i == avoid1 || i == avoid2) {
                continue;
            }
            if (cache[i] == null) {
                cache[i] = new Eval(features(), classes, samples());
                best = i;
                break;
            }
            if (best < 0 || cache[i].used < cache[best].used) {
                best = i;
            }
        }
        cache[best].used = 0;
        return cache[best];
    }

    /** @return the evaluation at y (memoized) */
    Eval eval(DMatrixRMaj y) {
        Eval e = lookup(y);
        if (e != null) {
            return e;
        }
        e = slot(-1, -1);
        Eval target = e;
        tall.mult(y, e.probs, (i0, i1) -> softmaxRows(target, i0, i1));
        log.add(name, false, classes);
        keyed(e, y);
        return e;
    }

    /** Evaluations at two parameters; when both are new, one product {@code A [y1 y2]}. */
    Eval[] eval2(DMatrixRMaj y1, DMatrixRMaj y2) {
        Eval e1 = lookup(y1);
        Eval e2 = lookup(y2);
        if (e1 != null && e2 != null) {
            return new Eval[] {e1, e2};
        }
        if (e1 != null || e2 != null || sameContent(y1, y2)) {
            Eval a = e1 != null ? e1 : eval(y1);
            Eval b = e2 != null ? e2 : lookupOrEval(y2);
            return new Eval[] {a, b};
        }
        int c = classes;
        int d = features();
        stackedParams = grow(stackedParams, d, 2 * c);
        stackedLogits = grow(stackedLogits, samples(), 2 * c);
        for (int r = 0; r < d; r++) {
            System.arraycopy(y1.data, r * c, stackedParams.data, r * 2 * c, c);
            System.arraycopy(y2.data, r * c, stackedParams.data, r * 2 * c + c, c);
        }
        Eval f1 = slot(-1, -1);
        Eval f2 = slot(indexOf(f1), -1);
        double[] z = stackedLogits.data;
        tall.mult(stackedParams, stackedLogits, (i0, i1) -> {
            for (int r = i0; r < i1; r++) {
                System.arraycopy(z, r * 2 * c, f1.probs.data, r * c, c);
                System.arraycopy(z, r * 2 * c + c, f2.probs.data, r * c, c);
            }
            softmaxRows(f1, i0, i1);
            softmaxRows(f2, i0, i1);
        });
        log.add(name, false, 2 * c);
        keyed(f1, y1);
        keyed(f2, y2);
        return new Eval[] {f1, f2};
    }

    private Eval lookupOrEval(DMatrixRMaj y) {
        Eval e = lookup(y);
        return e != null ? e : eval(y);
    }

    private int indexOf(Eval e) {
        for (int i = 0; i < cache.length; i++) {
            if (cache[i] == e) {
                return i;
            }
        }
        return -1;
    }

    private static DMatrixRMaj grow(DMatrixRMaj m, int rows, int cols) {
        if (m == null || m.numRows != rows || m.numCols != cols) {
            return new DMatrixRMaj(rows, cols);
        }
        return m;
    }

    /**
     * Turns the logits in rows [i0, i1) of e.probs into probabilities and fills their
     * cross-entropies. Runs on the kernel's threads for disjoint row ranges.
     */
    private void softmaxRows(Eval e, int i0, int i1) {
        int c = classes;
        double[] z = e.probs.data;
        for (int i = i0; i < i1; i++) {
            int o = i * c;
            double m = z[o];
            for (int j = 1; j < c; j++) {
                m = Math.max(m, z[o + j]);
            }
            // ce = logsumexp(z) - z_l = log(sum_j exp(z_j - m)) - (z_l - m)
            double zl = z[o + labels[i]] - m;
            double s = 0;
            for (int j = 0; j < c; j++) {
                double v = Math.exp(z[o + j] - m);
                z[o + j] = v;
                s += v;
            }
            e.ce[i] = Math.log(s) - zl;
            double inv = 1.0 / s;
            for (int j = 0; j < c; j++) {
                z[o + j] *= inv;
            }
        }
    }

    /** Keys a filled entry by its parameter. */
    private void keyed(Eval e, DMatrixRMaj y) {
        e.key.setTo(y);
        e.used = ++clock;
        hasEntries = true;
    }

    /**
     * @param y the point y, not modified
     * @return the mean cross-entropy at y
     */
    public double meanLoss(DMatrixRMaj y) {
        double[] ce = eval(y).ce;
        double s = 0;
        for (double v : ce) {
            s += v;
        }
        return s / ce.length;
    }

    /** @return {@code sum_i w_i ce_i(y) * scale} */
    double weightedLoss(double[] w, double scale, DMatrixRMaj y) {
        double[] ce = eval(y).ce;
        double s = 0;
        for (int i = 0; i < ce.length; i++) {
            s += w[i] * ce[i];
        }
        return s * scale;
    }

    /** @return the per-sample cross-entropies at y (a view: do not modify) */
    double[] losses(DMatrixRMaj y) {
        return eval(y).ce;
    }

    /** Writes {@code w_i scale (p_i - e_{l_i})} into row i of r (n x c, starting at column col0 of r). */
    private void residuals(Eval e, double[] w, double scale, DMatrixRMaj r, int col0) {
        int c = classes;
        int stride = r.numCols;
        double[] p = e.probs.data;
        double[] out = r.data;
        for (int i = 0; i < samples(); i++) {
            double wi = w == null ? scale : w[i] * scale;
            int o = i * c;
            int q = i * stride + col0;
            for (int j = 0; j < c; j++) {
                out[q + j] = wi * p[o + j];
            }
            out[q + labels[i]] -= wi;
        }
    }

    /**
     * {@code out = scale sum_i w_i grad ce_i(y) = scale A^T R}, {@code R_i = w_i (p_i - e_{l_i})}.
     *
     * @param w per-sample weights, or null for all ones
     */
    void weightedGradient(double[] w, double scale, DMatrixRMaj y, DMatrixRMaj out) {
        Eval e = eval(y);
        stackedResiduals = grow(stackedResiduals, samples(), classes);
        residuals(e, w, scale, stackedResiduals, 0);
        tall.multTransA(stackedResiduals, out);
        log.add(name, true, classes);
    }

    /**
     * Several weighted gradients with one product {@code A^T [R_1 ... R_m]}; evaluations at two new
     * parameters share one product too.
     */
    void weightedGradients(List<double[]> ws, double scale, List<DMatrixRMaj> ys, List<DMatrixRMaj> outs) {
        int m = ys.size();
        if (m == 1) {
            weightedGradient(ws.get(0), scale, ys.get(0), outs.get(0));
            return;
        }
        Eval[] evals = new Eval[m];
        if (m == 2) {
            Eval[] two = eval2(ys.get(0), ys.get(1));
            evals[0] = two[0];
            evals[1] = two[1];
        } else {
            for (int k = 0; k < m; k++) {
                evals[k] = eval(ys.get(k));
            }
        }
        int c = classes;
        stackedResiduals = grow(stackedResiduals, samples(), m * c);
        for (int k = 0; k < m; k++) {
            residuals(evals[k], ws.get(k), scale, stackedResiduals, k * c);
        }
        stackedGradients = grow(stackedGradients, features(), m * c);
        tall.multTransA(stackedResiduals, stackedGradients);
        log.add(name, true, m * c);
        for (int k = 0; k < m; k++) {
            DMatrixRMaj out = outs.get(k);
            for (int r = 0; r < features(); r++) {
                System.arraycopy(stackedGradients.data, r * m * c + k * c, out.data, r * c, c);
            }
        }
    }

    /**
     * @param y the point y, not modified
     * @return the fraction of samples whose largest logit is the label's (ties: the first)
     */
    public double accuracy(DMatrixRMaj y) {
        DMatrixRMaj z = new DMatrixRMaj(samples(), classes);
        tall.mult(y, z);
        log.add(name, false, classes);
        int right = 0;
        for (int i = 0; i < samples(); i++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (z.data[i * classes + j] > z.data[i * classes + best]) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                right++;
            }
        }
        return (double) right / samples();
    }
}
