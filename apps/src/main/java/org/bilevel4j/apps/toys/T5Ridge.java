package org.bilevel4j.apps.toys;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * T5, choosing a ridge weight by validation: a plain minimization lower level (no y2, no x2),
 * <pre>
 *   lower: min_{y in [-3, 3]^d} ft(x1, y) = 1/(2m) ||A y - b||^2 + (x1/2) ||y||^2
 *   upper: min_{x1 in [0, 10]} f(y) = 1/(2 m_v) ||A_v y - b_v||^2
 * </pre>
 * on seeded synthetic data: A (m x d) and A_v (m_v x d) with standard normal entries,
 * {@code b = A w + noise e} and {@code b_v = A_v w + noise e_v} for a standard normal w scaled by
 * {@code signal}, drawn from L64X128MixRandom in that order. The reference solution comes from a
 * golden-section search over x1 of {@code f(y*(x1))}, {@code y*(x1) = (A^T A / m + x1 I)^{-1} A^T b / m}
 * (the box is checked to be inactive). y's box is tight because the coupling {@code x1 ||y||^2}
 * makes the penalty's Lipschitz constant grow with it.
 */
public final class T5Ridge implements MinimaxToy {

    /** The seed of the default instance, one whose optimal x1 lies well inside [0, 10]. */
    public static final long DEFAULT_SEED = 6;
    private static final Box X = Box.of(new double[] {0}, new double[] {10});
    private static final double Y_BOUND = 3;

    private final long seed;
    private final int d;
    private final Box yBox;
    /** A^T A / m, A^T b / m, ||b||^2 / (2m), and the same for validation. */
    private final DMatrixRMaj gram;
    private final DMatrixRMaj rhs;
    private final double c0;
    private final DMatrixRMaj gramV;
    private final DMatrixRMaj rhsV;
    private final double c0V;
    private final Problem problem;
    private MinimaxBilevelPoint solution;

    /**
     * The default instance: d = 5, m = 12 training and 40 validation rows, noise 1, signal 0.5.
     *
     * @return the instance
     */
    public static T5Ridge instance() {
        return new T5Ridge(DEFAULT_SEED, 5, 12, 40, 1.0, 0.5);
    }

    /**
     * @param seed the data seed
     * @param d features
     * @param m training rows
     * @param mv validation rows
     * @param noise noise standard deviation
     * @param signal standard deviation of the true weights
     */
    public T5Ridge(long seed, int d, int m, int mv, double noise, double signal) {
        if (d < 1 || m < 1 || mv < 1 || !(noise >= 0) || !(signal >= 0)) {
            throw new IllegalArgumentException("T5 needs d, m, mv >= 1 and nonnegative noise and signal");
        }
        this.seed = seed;
        this.d = d;
        this.yBox = Box.cube(d, -Y_BOUND, Y_BOUND);
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = signal * rng.nextGaussian();
        }
        DMatrixRMaj a = new DMatrixRMaj(m, d);
        DMatrixRMaj b = new DMatrixRMaj(m, 1);
        fill(rng, a, b, w, noise);
        DMatrixRMaj av = new DMatrixRMaj(mv, d);
        DMatrixRMaj bv = new DMatrixRMaj(mv, 1);
        fill(rng, av, bv, w, noise);
        gram = new DMatrixRMaj(d, d);
        rhs = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(a, a, gram);
        CommonOps_DDRM.scale(1.0 / m, gram);
        CommonOps_DDRM.multTransA(a, b, rhs);
        CommonOps_DDRM.scale(1.0 / m, rhs);
        c0 = CommonOps_DDRM.dot(b, b) / (2.0 * m);
        gramV = new DMatrixRMaj(d, d);
        rhsV = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.multTransA(av, av, gramV);
        CommonOps_DDRM.scale(1.0 / mv, gramV);
        CommonOps_DDRM.multTransA(av, bv, rhsV);
        CommonOps_DDRM.scale(1.0 / mv, rhsV);
        c0V = CommonOps_DDRM.dot(bv, bv) / (2.0 * mv);
        problem = new Problem();
    }

    private static void fill(RandomGenerator rng, DMatrixRMaj a, DMatrixRMaj b, double[] w, double noise) {
        for (int i = 0; i < a.numRows; i++) {
            double s = 0;
            for (int j = 0; j < a.numCols; j++) {
                double v = rng.nextGaussian();
                a.set(i, j, v);
                s += v * w[j];
            }
            b.data[i] = s + noise * rng.nextGaussian();
        }
    }

    /** @return the data seed */
    public long seed() {
        return seed;
    }

    /** 1/2 y^T G y - h^T y + c. */
    private static double quad(DMatrixRMaj g, DMatrixRMaj h, double c, double[] y) {
        int n = h.numRows;
        double s = c;
        for (int i = 0; i < n; i++) {
            double gy = 0;
            for (int j = 0; j < n; j++) {
                gy += g.data[i * n + j] * y[j];
            }
            s += 0.5 * y[i] * gy - h.data[i] * y[i];
        }
        return s;
    }

    /** out = G y - h. */
    private static void quadGrad(DMatrixRMaj g, DMatrixRMaj h, double[] y, double[] out) {
        int n = h.numRows;
        for (int i = 0; i < n; i++) {
            double gy = 0;
            for (int j = 0; j < n; j++) {
                gy += g.data[i * n + j] * y[j];
            }
            out[i] = gy - h.data[i];
        }
    }

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @param y the point y, not modified
     * @return the lower-level value ft(x1, y)
     */
    public double lowerValue(double x1, double[] y) {
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return quad(gram, rhs, c0, y) + 0.5 * x1 * s;
    }

    /**
     * @param y the point y, not modified
     * @return the validation loss f(y)
     */
    public double validationLoss(double[] y) {
        return quad(gramV, rhsV, c0V, y);
    }

    /**
     * @return the lower-level solution {@code y*(x1) = (A^T A / m + x1 I)^{-1} A^T b / m}
     * @throws IllegalStateException if it leaves the box [-3, 3]^d (then it is not the constrained solution)
     * @param x1 the upper-level minimization block x1, not modified
     */
    public double[] lowerSolution(double x1) {
        DMatrixRMaj k = gram.copy();
        for (int i = 0; i < d; i++) {
            k.add(i, i, x1);
        }
        DMatrixRMaj y = new DMatrixRMaj(d, 1);
        if (!CommonOps_DDRM.solveSPD(k, rhs, y)) {
            throw new IllegalStateException("ridge system is singular at x1 = " + x1);
        }
        if (!yBox.contains(y)) {
            throw new IllegalStateException("the ridge solution at x1 = " + x1 + " leaves the box [-3, 3]^" + d);
        }
        return y.data;
    }

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @return the validation loss along the lower-level solutions, {@code F(x1) = f(y*(x1))}
     */
    public double reducedObjective(double x1) {
        return validationLoss(lowerSolution(x1));
    }

    @Override
    public String name() {
        return "T5";
    }

    @Override
    public String description() {
        return "ridge weight chosen on validation data (seed " + seed + ", d = " + d + ")";
    }

    @Override
    public MinimaxBilevelProblem problem() {
        return problem;
    }

    /** @return x1* from a golden-section search to 1e-10 on [0, 10] and y*(x1*) */
    @Override
    public synchronized MinimaxBilevelPoint solution() {
        if (solution == null) {
            double x1 = GoldenSection.minimize(this::reducedObjective, X.lower(0), X.upper(0), 1e-10);
            solution = MinimaxBilevelPoint.of(new double[] {x1}, new double[0], lowerSolution(x1), new double[0]);
        }
        return solution;
    }

    @Override
    public double solutionValue() {
        return validationLoss(solution().y1().data);
    }

    @Override
    public MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {5}, new double[0], new double[d], new double[0]);
    }

    @Override
    public double lowerGap(MinimaxBilevelPoint p) {
        double x1 = p.x1().data[0];
        return lowerValue(x1, p.y1().data) - lowerValue(x1, lowerSolution(x1));
    }

    private final class Problem implements MinimaxBilevelProblem {
        private final double[] g = new double[d];

        @Override
        public Box x1Domain() {
            return X;
        }

        @Override
        public Box x2Domain() {
            return Box.none();
        }

        @Override
        public Box y1Domain() {
            return yBox;
        }

        @Override
        public Box y2Domain() {
            return Box.none();
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            return validationLoss(y1.data);
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = 0;
            quadGrad(gramV, rhsV, y1.data, gy1.data);
            return validationLoss(y1.data);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            return T5Ridge.this.lowerValue(x1.data[0], y1.data);
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double t = x1.data[0];
            double[] y = y1.data;
            quadGrad(gram, rhs, y, g);
            double s = 0;
            for (int i = 0; i < d; i++) {
                gy1.data[i] = g[i] + t * y[i];
                s += y[i] * y[i];
            }
            gx1.data[0] = 0.5 * s;
            return T5Ridge.this.lowerValue(t, y);
        }

        @Override
        public String toString() {
            return "T5";
        }
    }
}
