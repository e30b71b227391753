package org.bilevel4j.apps.toys;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.LowerGradientSampler;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * T1 as a finite sum: the lower level is the mean of N perturbed copies of T1's,
 * <pre>
 *   ft_i(x1, y1, y2) = (a_i/2)(y1 - x1)^2 + c_i y1 y2 - (b_i/2) y2^2 + d_i y1 + e_i y2,
 * </pre>
 * with {@code a_i, b_i, c_i = 1 + (delta_i - mean delta)}, delta uniform on
 * {@code [-spread/2, spread/2]}, and {@code d_i, e_i} uniform on {@code [-spread/2, spread/2]} minus
 * their means, so that {@code (1/N) sum_i ft_i} is exactly T1's ft (up to rounding) and the solution is
 * T1's, {@code (x1, x2, y1, y2) = (2, -1, 1, 1)}. The upper level is T1's. The sampler draws minibatches
 * uniformly without replacement and averages the component gradients; the problem's own lower-level
 * methods give the full mean.
 */
public final class T1FiniteSum {

    private static final Box BOX = Box.cube(1, -10, 10);

    private final double[] a;
    private final double[] b;
    private final double[] c;
    private final double[] d;
    private final double[] e;
    private final double am;
    private final double bm;
    private final double cm;
    private final double dm;
    private final double em;
    private final T1StronglyConvexConcave t1 = new T1StronglyConvexConcave();

    /**
     * @param n the number of components N, at least 1
     * @param spread the width of the perturbations (0 gives N copies of T1)
     * @param seed the seed of the perturbations (L64X128MixRandom)
     */
    public T1FiniteSum(int n, double spread, long seed) {
        if (n < 1 || !(spread >= 0)) {
            throw new IllegalArgumentException("need N >= 1 and spread >= 0, got " + n + ", " + spread);
        }
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        a = centered(rng, n, spread, 1);
        b = centered(rng, n, spread, 1);
        c = centered(rng, n, spread, 1);
        d = centered(rng, n, spread, 0);
        e = centered(rng, n, spread, 0);
        am = mean(a);
        bm = mean(b);
        cm = mean(c);
        dm = mean(d);
        em = mean(e);
    }

    private static double[] centered(RandomGenerator rng, int n, double spread, double level) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = spread * (rng.nextDouble() - 0.5);
        }
        double m = mean(v);
        for (int i = 0; i < n; i++) {
            v[i] = level + v[i] - m;
        }
        return v;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** @return N */
    public int components() {
        return a.length;
    }

    /** @return the closed-form solution, T1's */
    public MinimaxBilevelPoint solution() {
        return t1.solution();
    }

    /** @return T1 itself (the same solution, the error and gap measures) */
    public MinimaxToy deterministic() {
        return t1;
    }

    /** @return the problem with the full lower level and a fresh minibatch sampler */
    public SampledMinimaxBilevelProblem sampled() {
        return new SampledMinimaxBilevelProblem(new Problem(), new Sampler());
    }

    private final class Problem implements MinimaxBilevelProblem {
        private final MinimaxBilevelProblem upper = t1.problem();

        @Override
        public Box x1Domain() {
            return BOX;
        }

        @Override
        public Box x2Domain() {
            return BOX;
        }

        @Override
        public Box y1Domain() {
            return BOX;
        }

        @Override
        public Box y2Domain() {
            return BOX;
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            return upper.upperValue(x1, x2, y1, y2);
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            return upper.upperValueAndGradient(x1, x2, y1, y2, gx1, gx2, gy1, gy2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            double u = x1.data[0];
            double s = y1.data[0];
            double t = y2.data[0];
            double r = s - u;
            return 0.5 * am * r * r + cm * s * t - 0.5 * bm * t * t + dm * s + em * t;
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double u = x1.data[0];
            double s = y1.data[0];
            double t = y2.data[0];
            gx1.data[0] = -am * (s - u);
            gy1.data[0] = am * (s - u) + cm * t + dm;
            gy2.data[0] = cm * s - bm * t + em;
            return lowerValue(x1, y1, y2);
        }

        @Override
        public String toString() {
            return "T1 finite sum (N = " + a.length + ")";
        }
    }

    /** Uniform minibatches without replacement (partial Fisher-Yates shuffle). */
    private final class Sampler implements LowerGradientSampler {
        private final int[] perm;
        private int size;

        Sampler() {
            perm = new int[a.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = i;
            }
        }

        @Override
        public void draw(RandomGenerator rng, int batchSize) {
            if (batchSize < 1 || batchSize > perm.length) {
                throw new IllegalArgumentException("batch size must be in [1, " + perm.length + "], got " + batchSize);
            }
            for (int i = 0; i < batchSize; i++) {
                int j = i + rng.nextInt(perm.length - i);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            size = batchSize;
        }

        @Override
        public int estimate(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1, DMatrixRMaj gy1,
                DMatrixRMaj gy2) {
            if (size == 0) {
                throw new IllegalStateException("draw a minibatch first");
            }
            double u = x1.data[0];
            double s = y1.data[0];
            double t = y2.data[0];
            double sx = 0;
            double sy1 = 0;
            double sy2 = 0;
            for (int k = 0; k < size; k++) {
                int i = perm[k];
                sx += -a[i] * (s - u);
                sy1 += a[i] * (s - u) + c[i] * t + d[i];
                sy2 += c[i] * s - b[i] * t + e[i];
            }
            gx1.data[0] = sx / size;
            gy1.data[0] = sy1 / size;
            gy2.data[0] = sy2 / size;
            return size;
        }
    }

    /**
     * @param i the row index
     * @param x1 the upper-level minimization block x1, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @return {@code ft_i(x1, y1, y2)}
     */
    public double componentValue(int i, double x1, double y1, double y2) {
        double r = y1 - x1;
        return 0.5 * a[i] * r * r + c[i] * y1 * y2 - 0.5 * b[i] * y2 * y2 + d[i] * y1 + e[i] * y2;
    }
}
