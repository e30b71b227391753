package org.bilevel4j.apps.cleaning;

import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * Data hyper-cleaning as a {@link BilevelProblem}: learn one weight per training sample so that a
 * classifier trained on the weighted data does well on a clean validation set.
 * <pre>
 *   x in R^n (sample weights sigma(x_i)),   y in R^{(d+1) x c} (multinomial logistic regression with bias),
 *   f(x, y) = (1/n) sum_i sigma(x_i) CE(y; a_i, b_i) + (ridge/2) ||W||^2    (W: y without the bias row),
 *   F(x, y) = (1/n_val) sum_j CE(y; a_j, b_j)   over the validation set,   g = 0,  X, Y the whole space.
 * </pre>
 * Gradients: {@code grad_x f = sigma'(x) * CE(y) / n}, {@code grad_y f = A^T R / n + ridge [W; 0]}
 * with {@code R_i = sigma(x_i) (softmax(a_i y) - e_{b_i})}; {@code grad_y F = A_val^T (P_val - B_val) / n_val};
 * {@code grad_x F = 0}. Each is a batched product on the thin-product kernels of
 * {@link org.bilevel4j.linalg.TallMatrix}; the softmax evaluations are memoized by parameter
 * content ({@link SoftmaxModel}), {@link #lowerSmoothGradientsY} does the backward products of
 * several points at once, and {@link #prefetchLower} the forward products of two points. The products made are
 * counted in {@link #productLog()}. Not thread-safe.
 */
public final class HyperCleaningProblem implements BilevelProblem {

    private final SoftmaxModel train;
    private final SoftmaxModel val;
    private final double ridge;
    private final ProductLog log;
    private final double[] weights;
    private final double[] weights2;
    private final DMatrixRMaj weightKey;
    private final DMatrixRMaj weightKey2;

    /**
     * @param data the data set (its matrices are shared, not copied)
     * @param ridge the ridge weight on W, nonnegative (the method page offers 0 and 1e-3)
     */
    public HyperCleaningProblem(CleaningDataset data, double ridge) {
        this(data, ridge, Precision.DOUBLE);
    }

    /**
     * @param data the data set (its matrices are shared, not copied)
     * @param ridge the ridge weight on W, nonnegative (the method page offers 0 and 1e-3)
     * @param precision the format of the matrix products ({@link org.bilevel4j.linalg.TallMatrix}):
     *     {@code SINGLE} stores the data in binary32 and sums the products in it, about twice as fast;
     *     everything else stays in double
     */
    public HyperCleaningProblem(CleaningDataset data, double ridge, Precision precision) {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and nonnegative, got " + ridge);
        }
        this.ridge = ridge;
        log = new ProductLog();
        train = new SoftmaxModel("train", data.trainDesign(), data.trainLabels(), data.classes(), 4, log,
                precision);
        val = new SoftmaxModel("val", data.valDesign(), data.valLabels(), data.classes(), 2, log, precision);
        weights = new double[train.samples()];
        weights2 = new double[train.samples()];
        weightKey = new DMatrixRMaj(train.samples(), 1);
        weightKey2 = new DMatrixRMaj(train.samples(), 1);
        // the keys start at x = 0, whose weights are sigma(0) = 1/2
        java.util.Arrays.fill(weights, 0.5);
        java.util.Arrays.fill(weights2, 0.5);
    }

    /** @return the products made so far, by shape */
    public ProductLog productLog() {
        return log;
    }

    /** @return the training model (shares the product log) */
    public SoftmaxModel trainModel() {
        return train;
    }

    /** @return the validation model (shares the product log) */
    public SoftmaxModel validationModel() {
        return val;
    }

    /** @return the ridge weight */
    public double ridge() {
        return ridge;
    }

    @Override
    public int xRows() {
        return train.samples();
    }

    @Override
    public int yRows() {
        return train.features();
    }

    @Override
    public int yCols() {
        return train.classes;
    }

    /** @return the start of the method page: x = 0 (all weights 1/2), y = 0 */
    public PairIterate start() {
        return PairIterate.constant(this, 0.0, 0.0);
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1.0 / (1.0 + Math.exp(-t)) : Math.exp(t) / (1.0 + Math.exp(t));
    }

    /** @return sigma(x), memoized for the two most recent x */
    private double[] weights(DMatrixRMaj x) {
        if (sameContent(weightKey, x)) {
            return weights;
        }
        if (sameContent(weightKey2, x)) {
            return weights2;
        }
        // keep the two most recent x: move the current pair down
        System.arraycopy(weights, 0, weights2, 0, weights.length);
        weightKey2.setTo(weightKey);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = sigmoid(x.data[i]);
        }
        weightKey.setTo(x);
        return weights;
    }

    private static boolean sameContent(DMatrixRMaj a, DMatrixRMaj b) {
        for (int i = 0; i < a.getNumElements(); i++) {
            if (Double.doubleToRawLongBits(a.data[i]) != Double.doubleToRawLongBits(b.data[i])) {
                return false;
            }
        }
        return true;
    }

    private double ridgeTerm(DMatrixRMaj y) {
        if (ridge == 0) {
            return 0;
        }
        int n = (y.numRows - 1) * y.numCols;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += y.data[i] * y.data[i];
        }
        return 0.5 * ridge * s;
    }

    private void addRidgeGradient(DMatrixRMaj y, DMatrixRMaj out) {
        if (ridge == 0) {
            return;
        }
        int n = (y.numRows - 1) * y.numCols;
        for (int i = 0; i < n; i++) {
            out.data[i] += ridge * y.data[i];
        }
    }

    @Override
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        return val.meanLoss(y);
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        out.zero();
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        val.weightedGradient(null, 1.0 / val.samples(), y, out);
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        return train.weightedLoss(weights(x), 1.0 / train.samples(), y) + ridgeTerm(y);
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        double[] w = weights(x);
        double[] ce = train.losses(y);
        double inv = 1.0 / train.samples();
        for (int i = 0; i < w.length; i++) {
            out.data[i] = w[i] * (1 - w[i]) * ce[i] * inv;
        }
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        train.weightedGradient(weights(x), 1.0 / train.samples(), y, out);
        addRidgeGradient(y, out);
    }

    /** Evaluations at two parameters with one product {@code A [y_1 y_2]}, kept for the requests that follow. */
    @Override
    public void prefetchLower(DMatrixRMaj x, List<DMatrixRMaj> ys) {
        if (ys.size() == 2) {
            train.eval2(ys.get(0), ys.get(1));
        }
    }

    /** All points' products at once: {@code A^T [R_1 ... R_m]} (and {@code A [y_1 y_2]} for two new points). */
    @Override
    public void lowerSmoothGradientsY(List<DMatrixRMaj> xs, List<DMatrixRMaj> ys, List<DMatrixRMaj> outs) {
        if (xs.size() != ys.size() || ys.size() != outs.size()) {
            throw new IllegalArgumentException("xs, ys and outs must have the same length");
        }
        List<double[]> ws = new ArrayList<>(xs.size());
        for (DMatrixRMaj x : xs) {
            ws.add(weights(x).clone());
        }
        train.weightedGradients(ws, 1.0 / train.samples(), ys, outs);
        for (int k = 0; k < ys.size(); k++) {
            addRidgeGradient(ys.get(k), outs.get(k));
        }
    }
}
