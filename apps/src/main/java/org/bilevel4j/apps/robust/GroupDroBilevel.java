package org.bilevel4j.apps.robust;

import java.util.Objects;
import org.bilevel4j.function.IndSimplex;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.ejml.data.DMatrixRMaj;

/**
 * Learning per-class loss shifts for group DRO as a bilevel minimax problem (issue 17, after the
 * worst-group experiments of Shen, He, Wang, Lin 2026). With K classes, u0 the uniform weights and
 * Delta the simplex in R^K:
 * <pre>
 *   x1 = a in [-1, 1]^K (per-class loss shifts),  x2 = p in Delta (adversarial validation weights)
 *   y1 = W in [-20, 20]^{D x K},                  y2 = q in Delta (group-DRO training weights)
 *   lower (min_W max_q):  ft(a, W, q) = sum_k q_k (L_k(W) + a_k) - (tau/2) ||q - u0||^2 + (lam/2) ||W||_F^2
 *   upper (min_a max_p):  f(p, W)     = sum_k p_k V_k(W) - (mu/2) ||p - u0||^2
 * </pre>
 * L_k and V_k the mean cross-entropies of class k on training and validation ({@link ClassLosses}).
 * a = 0 is plain group DRO. The lower level is lam-strongly convex in W and tau-strongly concave in q;
 * the upper level is mu-strongly concave in p and convex in W.
 *
 * <p>Vectors: W is stored as a D K x 1 column holding the D x K matrix row-major. The domains of p and
 * q are the simplex (projection {@link IndSimplex}); their boxes are [0, 1]^K.
 *
 * <p>Block Lipschitz bounds (indices of {@link BlockMinimaxBilevelProblem}): f: {@code [x2][x2] = mu},
 * {@code [y1][y1] = max_k h^V_k}, {@code [x2][y1] = G^V}; ft: {@code [x1][y2] = 1},
 * {@code [y1][y1] = max_k h^L_k + lam}, {@code [y2][y2] = tau}, {@code [y1][y2] = G^L}, with the
 * Hessian bounds h_k and the gradient-matrix bounds G of {@link ClassLosses}. The penalty value
 * function has a {@code rho / tau}-Lipschitz descent constant ({@link #valueLipschitzPerRho()} = 1/tau):
 * a enters ft only through {@code <q, a>} and f not at all.
 *
 * <p>Thread-safety: not thread-safe (it reuses work buffers across calls); one run at a time.
 */
public final class GroupDroBilevel implements BlockMinimaxBilevelProblem {

    private static final IndSimplex SIMPLEX = new IndSimplex();

    private final ClassLosses train;
    private final ClassLosses validation;
    private final double tau;
    private final double lambda;
    private final double mu;
    private final double shiftBound;
    private final double weightBound;
    private final int k;
    private final int d;
    private final Box aBox;
    private final Box simplexBox;
    private final Box wBox;
    private final double[] lossBuf;
    private final double[] weightBuf;
    private final DMatrixRMaj gradBuf;

    /**
     * @param train training losses L_k
     * @param validation validation losses V_k
     * @param tau the group-DRO regularization (1 in the issue)
     * @param lambda the ridge lam (1e-2)
     * @param mu the upper level's regularization (0.1)
     * @param shiftBound the box of a: [-shiftBound, shiftBound] (1)
     * @param weightBound the box of W: [-weightBound, weightBound] (20)
     */
    public GroupDroBilevel(ClassLosses train, ClassLosses validation, double tau, double lambda, double mu,
            double shiftBound, double weightBound) {
        this.train = Objects.requireNonNull(train, "train");
        this.validation = Objects.requireNonNull(validation, "validation");
        if (train.classes() != validation.classes() || train.dimension() != validation.dimension()) {
            throw new IllegalArgumentException("training and validation sets differ in classes or features");
        }
        for (double v : new double[] {tau, lambda, mu, shiftBound, weightBound}) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("tau, lambda, mu and the box bounds must be positive and finite,"
                        + " got " + v);
            }
        }
        this.tau = tau;
        this.lambda = lambda;
        this.mu = mu;
        this.shiftBound = shiftBound;
        this.weightBound = weightBound;
        k = train.classes();
        d = train.dimension();
        aBox = Box.cube(k, -shiftBound, shiftBound);
        simplexBox = Box.cube(k, 0, 1);
        wBox = Box.cube(d * k, -weightBound, weightBound);
        lossBuf = new double[k];
        weightBuf = new double[k];
        gradBuf = new DMatrixRMaj(d, k);
    }

    /**
     * @param train the training losses (the lower level's data)
     * @param validation the validation losses (the upper level's data)
     * @return the instance: tau = 1, lam = 1e-2, mu = 0.1, a in [-1, 1], W in [-20, 20]
     */
    public static GroupDroBilevel standard(ClassLosses train, ClassLosses validation) {
        return new GroupDroBilevel(train, validation, 1.0, 1e-2, 0.1, 1.0, 20.0);
    }

    /** @return the training losses */
    public ClassLosses train() {
        return train;
    }

    /** @return the validation losses */
    public ClassLosses validation() {
        return validation;
    }

    /** @return tau */
    public double tau() {
        return tau;
    }

    /** @return lam */
    public double lambda() {
        return lambda;
    }

    /** @return mu */
    public double mu() {
        return mu;
    }

    /** @return the bound of the shift box */
    public double shiftBound() {
        return shiftBound;
    }

    /** @return the bound of the W box */
    public double weightBound() {
        return weightBound;
    }

    /** @return the start a = 0, p = u0, W = 0, q = u0 */
    public MinimaxBilevelPoint start() {
        double[] u = new double[k];
        java.util.Arrays.fill(u, 1.0 / k);
        return MinimaxBilevelPoint.of(new double[k], u, new double[d * k], u);
    }

    /**
     * @param wColumn W as a column of D K entries (row-major D x K)
     * @return the D x K matrix view of a W column (shares the data)
     */
    public DMatrixRMaj matrix(DMatrixRMaj wColumn) {
        return DMatrixRMaj.wrap(d, k, wColumn.data);
    }

    @Override
    public Box x1Domain() {
        return aBox;
    }

    @Override
    public Box x2Domain() {
        return simplexBox;
    }

    @Override
    public Box y1Domain() {
        return wBox;
    }

    @Override
    public Box y2Domain() {
        return simplexBox;
    }

    @Override
    public void project(Block b, DMatrixRMaj v, DMatrixRMaj out) {
        if (b == Block.X2 || b == Block.Y2) {
            SIMPLEX.prox(v, 1.0, out);
        } else {
            box(b).project(v, out);
        }
    }

    private double regularizer(DMatrixRMaj w, double weight) {
        double s = 0;
        for (int i = 0; i < w.getNumElements(); i++) {
            double v = w.data[i] - 1.0 / k;
            s += v * v;
        }
        return 0.5 * weight * s;
    }

    private static double sumSquares(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            s += m.data[i] * m.data[i];
        }
        return s;
    }

    @Override
    public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
        validation.losses(matrix(y1), lossBuf);
        double v = 0;
        for (int j = 0; j < k; j++) {
            v += x2.data[j] * lossBuf[j];
        }
        return v - regularizer(x2, mu);
    }

    @Override
    public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
            DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
        validation.lossesAndGradient(matrix(y1), x2.data, lossBuf, gradBuf);
        System.arraycopy(gradBuf.data, 0, gy1.data, 0, d * k);
        double v = 0;
        for (int j = 0; j < k; j++) {
            v += x2.data[j] * lossBuf[j];
            gx2.data[j] = lossBuf[j] - mu * (x2.data[j] - 1.0 / k);
            gx1.data[j] = 0;
        }
        java.util.Arrays.fill(gy2.data, 0, y2.getNumElements(), 0.0);
        return v - regularizer(x2, mu);
    }

    @Override
    public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
        train.losses(matrix(y1), lossBuf);
        double v = 0;
        for (int j = 0; j < k; j++) {
            v += y2.data[j] * (lossBuf[j] + x1.data[j]);
        }
        return v - regularizer(y2, tau) + 0.5 * lambda * sumSquares(y1);
    }

    @Override
    public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
            DMatrixRMaj gy1, DMatrixRMaj gy2) {
        train.lossesAndGradient(matrix(y1), y2.data, lossBuf, gradBuf);
        for (int i = 0; i < d * k; i++) {
            gy1.data[i] = gradBuf.data[i] + lambda * y1.data[i];
        }
        double v = 0;
        for (int j = 0; j < k; j++) {
            v += y2.data[j] * (lossBuf[j] + x1.data[j]);
            gx1.data[j] = y2.data[j];
            gy2.data[j] = lossBuf[j] + x1.data[j] - tau * (y2.data[j] - 1.0 / k);
        }
        return v - regularizer(y2, tau) + 0.5 * lambda * sumSquares(y1);
    }

    @Override
    public double[][] upperLipschitz() {
        double h = validation.maxHessianBound();
        double g = validation.gradientMatrixBound();
        return new double[][] {
            {0, 0, 0, 0},
            {0, mu, g, 0},
            {0, g, h, 0},
            {0, 0, 0, 0}};
    }

    @Override
    public double[][] lowerLipschitz() {
        double h = train.maxHessianBound() + lambda;
        double g = train.gradientMatrixBound();
        return new double[][] {
            {0, 0, 1},
            {0, h, g},
            {1, g, tau}};
    }

    @Override
    public double valueLipschitzPerRho() {
        return 1.0 / tau;
    }

    /**
     * @param wColumn W as a column of D K entries (row-major D x K)
     * @return the worst (largest) validation class loss at W, {@code max_k L_k^val(W)}
     */
    public double worstValidationLoss(DMatrixRMaj wColumn) {
        double[] v = new double[k];
        validation.losses(matrix(wColumn), v);
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
