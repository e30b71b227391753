package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.apps.toys.FiniteDifferences.col;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.LowerGradientSampler;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Values of the minimax toys against their definitions: T1 with coefficients other than ones (values,
 * both levels' first-order conditions at the closed form), the components of finite-sum T1 against
 * coefficients regenerated from the documented protocol, T5's losses against its regenerated data, and
 * the error measures.
 */
class MinimaxToyValuesTest {

    private static final T1StronglyConvexConcave U = new T1StronglyConvexConcave(2, 0.5, 0.7, -1, 1, 3);

    private static MinimaxBilevelPoint point(double x1, double x2, double y1, double y2) {
        return MinimaxBilevelPoint.of(new double[] {x1}, new double[] {x2}, new double[] {y1}, new double[] {y2});
    }

    @Test
    void t1ValuesAreItsFormulasWithCoefficientsOtherThanOne() {
        // ft = a/2 (y1 - x1)^2 + c y1 y2 - b/2 y2^2 = 1 - 1.4 - 0.25 at (x1, y1, y2) = (1, 2, -1)
        MinimaxBilevelProblem p = U.problem();
        assertThat(p.lowerValue(col(new double[] {1}), col(new double[] {2}), col(new double[] {-1})))
                .isCloseTo(-0.65, within(1e-15));
        assertThat(U.ft(1, 2, -1)).isCloseTo(-0.65, within(1e-15));
        // f = 1/2 (x1 - p)^2 + x2 (y1 + y2 - q) - mu/2 x2^2 = 2 + 0 - 0.375 at x2 = 0.5
        assertThat(p.upperValue(col(new double[] {1}), col(new double[] {0.5}), col(new double[] {2}),
                col(new double[] {-1}))).isCloseTo(1.625, within(1e-15));
        assertThat(p.toString()).isEqualTo("T1");
        assertThat(U.name()).isEqualTo("T1");
        assertThat(U.description()).contains("strongly convex-concave");
    }

    @Test
    void t1ClosedFormSolvesBothLevelsForOtherCoefficients() {
        MinimaxBilevelPoint s = U.solution();
        MinimaxBilevelProblem p = U.problem();
        DMatrixRMaj g1 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g2 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g4 = new DMatrixRMaj(1, 1);
        // the lower saddle: grad_y1 ft = a (y1 - x1) + c y2 = 0 and grad_y2 ft = c y1 - b y2 = 0
        p.lowerValueAndGradient(s.x1(), s.y1(), s.y2(), g1, g3, g4);
        assertThat(g3.data[0]).isCloseTo(0, within(1e-14));
        assertThat(g4.data[0]).isCloseTo(0, within(1e-14));
        assertThat(s.y2().data[0]).isCloseTo(0.7 / 0.5 * s.y1().data[0], within(1e-14));
        // the upper max over x2: grad_x2 f = y1 + y2 - q - mu x2 = 0
        p.upperValueAndGradient(s.x1(), s.x2(), s.y1(), s.y2(), g1, g2, g3, g4);
        assertThat(g2.data[0]).isCloseTo(0, within(1e-14));
        assertThat(U.solutionValue()).isEqualTo(p.upperValue(s.x1(), s.x2(), s.y1(), s.y2()));
        assertThat(U.start().toArray()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void t1RejectsNonpositiveCurvatures() {
        assertThat(new T1StronglyConvexConcave(1e-300, 1e-300, 0, 0, 0, 1e-300).name()).isEqualTo("T1");
        assertThatThrownBy(() -> new T1StronglyConvexConcave(0, 1, 1, 1, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("T1 needs a, b, mu > 0");
        assertThatThrownBy(() -> new T1StronglyConvexConcave(1, 0, 1, 1, 3, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new T1StronglyConvexConcave(1, 1, 1, 1, 3, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorMeasuresAreTheLargestDeviationsFromTheSolution() {
        T1StronglyConvexConcave t1 = new T1StronglyConvexConcave(); // (2, -1, 1, 1)
        MinimaxBilevelPoint q = point(2.5, -3, 0.75, 1.1);
        assertThat(t1.errorX1(q)).isEqualTo(0.5);
        assertThat(t1.errorX2(q)).isEqualTo(2);
        assertThat(t1.error(q)).isEqualTo(0.5); // x2 is not part of it
        assertThat(t1.multiplierError(q)).isNaN();
        assertThat(MinimaxToy.maxAbs(new double[] {1, -2, 3}, new double[] {1.5, 2, 3})).isEqualTo(4);
        T4ConstrainedLower t4 = new T4ConstrainedLower(); // (1.5, -, 1.5, 1.5)
        MinimaxBilevelPoint r = MinimaxBilevelPoint.of(new double[] {1}, new double[0], new double[] {2.5},
                new double[] {0.25});
        assertThat(t4.error(r)).isEqualTo(1);
        assertThat(t4.multiplierError(r)).isEqualTo(1.25);
        assertThat(t4.errorX2(r)).isZero();
        assertThat(t4.description()).contains("constrained lower level");
        assertThat(new T2Bilinear().description()).isNotEmpty();
        assertThat(new T3ConvexLower().description()).isNotEmpty();
        assertThat(new T2Bilinear().problem().toString()).isEqualTo("T2");
        assertThat(new T3ConvexLower().problem().toString()).isEqualTo("T3");
    }

    /** Finite-sum T1's coefficients regenerated by its documented protocol: a, b, c, d, e in that order. */
    private static double[][] coefficients(int n, double spread, long seed) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[][] out = new double[5][n];
        double[] level = {1, 1, 1, 0, 0};
        for (int k = 0; k < 5; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                out[k][i] = spread * (rng.nextDouble() - 0.5);
                mean += out[k][i];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                out[k][i] = level[k] + out[k][i] - mean;
            }
        }
        return out;
    }

    @Test
    void finiteSumComponentsAreTheFormulaWithTheRegeneratedCoefficients() {
        T1FiniteSum fs = new T1FiniteSum(7, 1.0, 11);
        double[][] k = coefficients(7, 1.0, 11);
        double[] u = {0.3, -1.7};
        double[] s = {1.9, -0.4};
        double[] t = {-2.2, 0.8};
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 2; j++) {
                double r = s[j] - u[j];
                double want = 0.5 * k[0][i] * r * r + k[2][i] * s[j] * t[j] - 0.5 * k[1][i] * t[j] * t[j]
                        + k[3][i] * s[j] + k[4][i] * t[j];
                assertThat(fs.componentValue(i, u[j], s[j], t[j])).as("component %d", i)
                        .isCloseTo(want, within(1e-14));
            }
        }
        // the coefficients really differ from T1's (else the check above would not see d and e)
        assertThat(Math.abs(k[3][0]) + Math.abs(k[4][0])).isGreaterThan(0.01);
        assertThat(fs.components()).isEqualTo(7);
        assertThat(fs.solution().toArray()).containsExactly(2, -1, 1, 1);
        assertThat(fs.sampled().problem().toString()).isEqualTo("T1 finite sum (N = 7)");
    }

    @Test
    void aMinibatchOfOneIsOneComponentsGradientAndBatchSizesAreChecked() {
        T1FiniteSum fs = new T1FiniteSum(6, 1.0, 5);
        double[][] k = coefficients(6, 1.0, 5);
        SampledMinimaxBilevelProblem sp = fs.sampled();
        LowerGradientSampler sampler = sp.sampler();
        double u = 0.6;
        double s = -1.3;
        double t = 2.1;
        DMatrixRMaj g1 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g4 = new DMatrixRMaj(1, 1);
        assertThatThrownBy(() -> sampler.estimate(col(new double[] {u}), col(new double[] {s}),
                col(new double[] {t}), g1, g3, g4)).isInstanceOf(IllegalStateException.class)
                .hasMessage("draw a minibatch first");
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(1);
        boolean[] seen = new boolean[6];
        for (int draw = 0; draw < 60; draw++) {
            sampler.draw(rng, 1);
            assertThat(sampler.estimate(col(new double[] {u}), col(new double[] {s}), col(new double[] {t}), g1, g3,
                    g4)).isEqualTo(1);
            int match = -1;
            for (int i = 0; i < 6; i++) {
                // grad ft_i = (-a_i (s - u), a_i (s - u) + c_i t + d_i, c_i s - b_i t + e_i)
                if (Math.abs(g1.data[0] + k[0][i] * (s - u)) < 1e-14
                        && Math.abs(g3.data[0] - (k[0][i] * (s - u) + k[2][i] * t + k[3][i])) < 1e-14
                        && Math.abs(g4.data[0] - (k[2][i] * s - k[1][i] * t + k[4][i])) < 1e-14) {
                    match = i;
                }
            }
            assertThat(match).as("draw %d is one component's gradient", draw).isNotNegative();
            seen[match] = true;
        }
        assertThat(seen).containsOnly(true);
        // the whole set is a valid minibatch; none and more than N are not
        sampler.draw(rng, 6);
        assertThatThrownBy(() -> sampler.draw(rng, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch size must be in [1, 6], got 0");
        assertThatThrownBy(() -> sampler.draw(rng, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneComponentWithoutSpreadIsT1Itself() {
        T1FiniteSum one = new T1FiniteSum(1, 0.0, 3);
        T1StronglyConvexConcave t1 = new T1StronglyConvexConcave();
        assertThat(one.components()).isEqualTo(1);
        assertThat(one.componentValue(0, 0.4, -1.1, 2.3)).isEqualTo(t1.ft(0.4, -1.1, 2.3));
        assertThat(one.deterministic()).isInstanceOf(T1StronglyConvexConcave.class);
        assertThatThrownBy(() -> new T1FiniteSum(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need N >= 1 and spread >= 0, got 0, 1.0");
        assertThatThrownBy(() -> new T1FiniteSum(3, -1e-9, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** T5's data regenerated by its documented protocol: w, then A and b row by row, then A_v and b_v. */
    private static double[][][] t5Data(long seed, int d, int m, int mv, double noise, double signal) {
        RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = signal * rng.nextGaussian();
        }
        double[][][] out = new double[2][][];
        int[] rows = {m, mv};
        for (int k = 0; k < 2; k++) {
            out[k] = new double[rows[k]][d + 1];
            for (int i = 0; i < rows[k]; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    out[k][i][j] = rng.nextGaussian();
                    s += out[k][i][j] * w[j];
                }
                out[k][i][d] = s + noise * rng.nextGaussian();
            }
        }
        return out;
    }

    /** 1/(2 rows) ||A y - b||^2 with b in the last column. */
    private static double leastSquares(double[][] ab, double[] y) {
        double s = 0;
        for (double[] row : ab) {
            double r = -row[y.length];
            for (int j = 0; j < y.length; j++) {
                r += row[j] * y[j];
            }
            s += r * r;
        }
        return s / (2.0 * ab.length);
    }

    @Test
    void t5LossesAreTheLeastSquaresOfItsRegeneratedData() {
        T5Ridge t = new T5Ridge(9, 3, 7, 11, 0.8, 1.2);
        double[][][] data = t5Data(9, 3, 7, 11, 0.8, 1.2);
        double[] y = {0.4, -1.2, 2.5};
        double x1 = 1.7;
        double lower = leastSquares(data[0], y) + 0.5 * x1 * (0.16 + 1.44 + 6.25);
        double upper = leastSquares(data[1], y);
        assertThat(t.lowerValue(x1, y)).isCloseTo(lower, within(1e-12 * lower));
        assertThat(t.validationLoss(y)).isCloseTo(upper, within(1e-12 * upper));
        MinimaxBilevelProblem p = t.problem();
        DMatrixRMaj yy = col(y.clone());
        assertThat(p.lowerValue(col(new double[] {x1}), yy, new DMatrixRMaj(0, 1))).isCloseTo(lower,
                within(1e-12 * lower));
        assertThat(p.upperValue(col(new double[] {x1}), new DMatrixRMaj(0, 1), yy, new DMatrixRMaj(0, 1)))
                .isCloseTo(upper, within(1e-12 * upper));
        assertThat(p.toString()).isEqualTo("T5");
        assertThat(t.seed()).isEqualTo(9);
        assertThat(T5Ridge.instance().seed()).isEqualTo(T5Ridge.DEFAULT_SEED);
        assertThat(T5Ridge.instance().description()).isEqualTo("ridge weight chosen on validation data (seed 6, d = 5)");
    }

    @Test
    void t5GapIsTheLowerValueAboveTheRidgeSolution() {
        T5Ridge t = T5Ridge.instance();
        MinimaxBilevelPoint start = t.start(); // x1 = 5, y = 0
        double want = t.lowerValue(5, new double[5]) - t.lowerValue(5, t.lowerSolution(5));
        assertThat(want).isPositive();
        assertThat(t.lowerGap(start)).isEqualTo(want);
        MinimaxBilevelPoint onSolution = MinimaxBilevelPoint.of(new double[] {5}, new double[0], t.lowerSolution(5),
                new double[0]);
        assertThat(t.lowerGap(onSolution)).isZero();
        // the smallest sizes and zero noise and signal are accepted
        T5Ridge tiny = new T5Ridge(1, 1, 1, 1, 0, 0);
        assertThat(tiny.lowerValue(0, new double[] {0})).isZero();
        assertThatThrownBy(() -> new T5Ridge(1, 0, 1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new T5Ridge(1, 1, 1, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
