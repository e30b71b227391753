package org.bilevel4j.apps.factorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.function.LogPenalty;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The generators of the factorization instances against their documented draw order (a polar Box-Muller
 * written out here), their argument checks at the boundaries, the symmetric loss's symmetry tolerance at
 * exactly {@code 1e-12 ||A||_F}, and the metrics' edge cases (largest entry, the rank threshold itself, the
 * product rank of a wide factor, messages naming the shapes).
 */
class FactorizationInstancesTest {

    /** Polar Box-Muller, one draw: (u, v) uniform in the square until 0 < u^2 + v^2 < 1, then u sqrt(-2 ln s / s). */
    static double polar(SplittableRandom rnd) {
        while (true) {
            double u = 2 * rnd.nextDouble() - 1;
            double v = 2 * rnd.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    @Test
    void gaussianDrawsArePolarBoxMullerOneAtATime() {
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        double sum = 0;
        double sq = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double x = Gaussian.next(a);
            assertThat(x).isEqualTo(polar(b));
            sum += x;
            sq += x * x;
        }
        assertThat(sum / n).isCloseTo(0, within(0.03));
        assertThat(sq / n).isCloseTo(1, within(0.04));
    }

    @Test
    void syntheticFactorizationFollowsItsDrawOrder() {
        SyntheticFactorization f = SyntheticFactorization.generate(5, 4, 2, 0.5, 0.25, 77);
        SplittableRandom rnd = new SplittableRandom(77);
        double[] x = new double[10];
        double[] y = new double[8];
        for (double[] m : new double[][] {x, y}) {
            for (int i = 0; i < m.length; i++) {
                boolean on = rnd.nextDouble() < 0.5;
                double v = polar(rnd);
                m[i] = on ? v : 0;
            }
        }
        assertThat(f.xTrue().data).containsExactly(x);
        assertThat(f.yTrue().data).containsExactly(y);
        assertThat(f.seed()).isEqualTo(77);
        int zeros = 0;
        for (double v : x) {
            zeros += v == 0 ? 1 : 0;
        }
        assertThat(zeros).as("some entries are off, some on").isBetween(1, 9);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                double c = x[2 * i] * y[j] + x[2 * i + 1] * y[4 + j];
                assertThat(f.clean().get(i, j)).isCloseTo(c, within(1e-14));
                assertThat(f.observed().get(i, j)).isEqualTo(f.clean().get(i, j) + 0.25 * polar(rnd));
            }
        }
    }

    @Test
    void syntheticFactorizationBoundaries() {
        SyntheticFactorization one = SyntheticFactorization.generate(1, 1, 1, 1.0, 0.0, 3);
        assertThat(one.xTrue().get(0, 0)).isNotZero();
        assertThat(one.yTrue().get(0, 0)).isNotZero();
        assertThat(one.observed().data).containsExactly(one.clean().data);
        // density 1: every entry is on
        SyntheticFactorization dense = SyntheticFactorization.generate(6, 5, 3, 1.0, 0.1, 4);
        assertThat(dense.xTrue().data).doesNotContain(0.0);
        assertThat(dense.yTrue().data).doesNotContain(0.0);
        for (int[] s : new int[][] {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}}) {
            assertThatThrownBy(() -> SyntheticFactorization.generate(s[0], s[1], s[2], 0.5, 0.1, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sizes must be positive, got m=" + s[0] + ", n=" + s[1] + ", k=" + s[2]);
        }
        for (double d : new double[] {0, -0.1, Math.nextUp(1.0), Double.NaN}) {
            assertThatThrownBy(() -> SyntheticFactorization.generate(2, 2, 1, d, 0.1, 1))
                    .hasMessage("density must be in (0, 1], got " + d);
        }
        for (double s : new double[] {-1e-300, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertThatThrownBy(() -> SyntheticFactorization.generate(2, 2, 1, 0.5, s, 1))
                    .hasMessage("noise level must be finite and nonnegative, got " + s);
        }
        SyntheticFactorization p = SyntheticFactorization.paper(2);
        assertThat(p.xTrue().numRows).isEqualTo(100);
        assertThat(p.xTrue().numCols).isEqualTo(5);
        assertThat(p.yTrue().numCols).isEqualTo(80);
        assertThat(p.seed()).isEqualTo(2);
        double nz = 0;
        for (double v : p.xTrue().data) {
            nz += v != 0 ? 1 : 0;
        }
        assertThat(nz / 500).isBetween(0.2, 0.4);
        assertThat(FactorizationMetrics.snrDb(p.clean(), p.observed())).isBetween(20.0, 60.0);
    }

    @Test
    void symmetricInstanceDrawOrderSizesAndProblem() {
        SymmetricFactorization s = SymmetricFactorization.generate(3, 2, 0.5, 8);
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < 6; i++) {
            assertThat(s.w().data[i]).isEqualTo(polar(rnd));
        }
        for (int i = 0; i < 6; i++) {
            assertThat(s.start().data[i]).isEqualTo(0.1 * polar(rnd));
        }
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.r()).isEqualTo(2);
        assertThat(s.shift()).isEqualTo(0.5);
        assertThat(s.seed()).isEqualTo(8);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double ww = s.w().get(i, 0) * s.w().get(j, 0) + s.w().get(i, 1) * s.w().get(j, 1);
                assertThat(s.a().get(i, j)).isCloseTo(ww + (i == j ? 0.5 : 0), within(1e-14));
                assertThat(s.a().get(i, j)).isEqualTo(s.a().get(j, i));
            }
        }
        LogPenalty up = new LogPenalty(1);
        SimpleBilevelProblem p = s.problem(up);
        assertThat(p.upper()).isSameAs(up);
        assertThat(p.lower().value(s.start())).isEqualTo(s.lower().value(s.start()));
        assertThat(s.lower().size()).isEqualTo(3);
        // boundaries: n = r = 1 and r = n are valid
        assertThat(SymmetricFactorization.generate(1, 1, 0, 1).a().numRows).isEqualTo(1);
        assertThat(SymmetricFactorization.generate(4, 4, 0, 1).r()).isEqualTo(4);
        for (int[] nr : new int[][] {{0, 1}, {2, 0}, {2, 3}}) {
            assertThatThrownBy(() -> SymmetricFactorization.generate(nr[0], nr[1], 0, 1))
                    .hasMessage("need 1 <= r <= n, got n=" + nr[0] + ", r=" + nr[1]);
        }
        assertThatThrownBy(() -> SymmetricFactorization.generate(2, 1, Double.NaN, 1))
                .hasMessage("shift must be finite, got NaN");
        assertThatThrownBy(() -> SymmetricFactorization.generate(2, 1, -1, 1).lowerMinimum())
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * A = [[1, 0], [t, 1]] with {@code t = 1e-12 ||A||_F}: {@code ||A||_F^2 = 2 + t^2} rounds to 2, so the
     * tolerance is {@code 1e-12 sqrt(2)} exactly as the constructor computes it. An asymmetry equal to the
     * tolerance is accepted; one ulp more is refused.
     */
    @Test
    void symmetricLossAcceptsAnAsymmetryOfExactlyTheTolerance() {
        double t = 1e-12 * Math.max(Math.sqrt(2.0), Double.MIN_NORMAL);
        SymmetricFactorizationLoss ok = new SymmetricFactorizationLoss(new DMatrixRMaj(new double[][] {{1, 0}, {t, 1}}));
        assertThat(ok.size()).isEqualTo(2);
        assertThat(ok.toString()).isEqualTo("SymmetricFactorizationLoss[n=2]");
        double over = Math.nextUp(t);
        assertThatThrownBy(() -> new SymmetricFactorizationLoss(new DMatrixRMaj(new double[][] {{1, 0}, {over, 1}})))
                .hasMessage("A must be symmetric; A(0,1) = 0.0 but A(1,0) = " + over);
        // half the tolerance at a norm of 2^20: accepted (the tolerance scales with the norm)
        double big = 1048576;
        double half = 0.5e-12 * Math.sqrt(2) * big;
        assertThat(new SymmetricFactorizationLoss(new DMatrixRMaj(new double[][] {{big, 0}, {half, big}})).size())
                .isEqualTo(2);
        assertThatThrownBy(() -> new SymmetricFactorizationLoss(new DMatrixRMaj(2, 3)))
                .hasMessage("A must be square and non-empty, got 2x3");
        SymmetricFactorizationLoss g = new SymmetricFactorizationLoss(new DMatrixRMaj(new double[][] {{2, 1}, {1, 2}}));
        assertThatThrownBy(() -> g.valueAndGradient(new DMatrixRMaj(2, 1), new DMatrixRMaj(1, 2)))
                .hasMessage("shape mismatch: 2x1 vs 1x2");
        // g(U) = 1/4 ||U U^T - A||^2 at U = (1, 1)^T: U U^T - A = [[-1, 0], [0, -1]]: g = 1/2, grad = -U
        DMatrixRMaj grad = new DMatrixRMaj(2, 1);
        assertThat(g.valueAndGradient(new DMatrixRMaj(new double[][] {{1}, {1}}), grad)).isEqualTo(0.5);
        assertThat(grad.data).containsExactly(-1.0, -1.0);
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void maxAbsIsTheLargestMagnitude() {
        assertThat(FactorizationMetrics.maxAbs(new DMatrixRMaj(new double[][] {{-3, 2}, {1, 0}}))).isEqualTo(3.0);
        assertThat(FactorizationMetrics.maxAbs(new DMatrixRMaj(new double[][] {{0.5, -0.25}}))).isEqualTo(0.5);
        assertThat(FactorizationMetrics.maxAbs(new DMatrixRMaj(0, 0))).isZero();
    }

    /** diag(4, 2): at relTol = 0.5 the threshold is exactly 2, which does not count (strictly above). */
    @Test
    void aSingularValueEqualToTheThresholdDoesNotCount() {
        DMatrixRMaj d = new DMatrixRMaj(new double[][] {{4, 0}, {0, 2}});
        assertThat(FactorizationMetrics.numericalRank(d, 0.5)).isEqualTo(1);
        assertThat(FactorizationMetrics.numericalRank(d, Math.nextDown(0.5))).isEqualTo(2);
        assertThat(FactorizationMetrics.numericalRank(d, 0.1)).isEqualTo(2);
        // the product path: X = diag(4, 2) (tall enough), Y = I
        DMatrixRMaj eye = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}});
        assertThat(FactorizationMetrics.numericalRankOfProduct(d, eye, 0.5)).isEqualTo(1);
        assertThat(FactorizationMetrics.numericalRankOfProduct(d, eye, 0.25)).isEqualTo(2);
    }

    @Test
    void productRankOfAWideFactorAndTheOrderOfTheChecks() {
        // X 2 x 3 (wide), Y 3 x 4: the product is formed; rank 2
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0, 2}, {0, 1, -1}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}});
        assertThat(FactorizationMetrics.numericalRankOfProduct(x, y, 1e-9)).isEqualTo(2);
        // Y tall (3 x 2) with X 3 x 3
        DMatrixRMaj yt = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        DMatrixRMaj x3 = new DMatrixRMaj(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}});
        assertThat(FactorizationMetrics.numericalRankOfProduct(x3, yt, 1e-9)).isEqualTo(2);
        // a bad tolerance is named before the shapes
        assertThatThrownBy(() -> FactorizationMetrics.numericalRankOfProduct(new DMatrixRMaj(4, 2), new DMatrixRMaj(3, 4),
                1.0)).hasMessage("relTol must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> FactorizationMetrics.numericalRankOfProduct(new DMatrixRMaj(4, 2), new DMatrixRMaj(3, 4),
                0.5)).hasMessage("X is 4x2 but Y is 3x4");
    }

    @Test
    void snrNamesTheShapesInArgumentOrder() {
        assertThatThrownBy(() -> FactorizationMetrics.snrDb(new DMatrixRMaj(2, 2), new DMatrixRMaj(2, 3)))
                .hasMessage("shape mismatch: 2x2 vs 2x3");
        assertThatThrownBy(() -> FactorizationMetrics.relativeError(new DMatrixRMaj(2, 2), new DMatrixRMaj(2, 3)))
                .hasMessage("shape mismatch: 2x2 vs 2x3");
    }
}
