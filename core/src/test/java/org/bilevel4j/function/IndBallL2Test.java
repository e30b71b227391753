package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.BruteForceProx;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class IndBallL2Test implements ProxContract<IndBallL2> {

    @Override
    public List<IndBallL2> functions() {
        return List.of(new IndBallL2(0.0), new IndBallL2(0.5), new IndBallL2(1.0), new IndBallL2(6.0));
    }

    /** At most 4 entries: Nelder–Mead on the exact penalty below is reliable there (the ball is rotation
     * invariant, so more entries test nothing new; larger shapes are checked against a KKT reference). */
    @Override
    public List<int[]> shapes(IndBallL2 f) {
        return List.of(new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 3}, new int[] {2, 2});
    }

    @Override
    public DMatrixRMaj randomPoint(IndBallL2 f, int rows, int cols, RandomGenerator rng) {
        return TestMatrices.gaussian(rows, cols, rng.nextBoolean() ? 0.2 : 3.0, rng);
    }

    /**
     * Nelder–Mead on the exact penalty {@code ||v - x||^2 / (2t) + mu max(0, ||v||_F - r)}. The
     * minimizer's multiplier is {@code ||x - p|| / t <= ||x|| / t}, so any larger {@code mu} gives the
     * projection itself, and the search never meets {@code +infinity} (Nelder–Mead crawls along a hard
     * boundary) nor the membership tolerance of {@link IndBallL2#value}.
     */
    @Override
    public DMatrixRMaj referenceProx(IndBallL2 f, DMatrixRMaj x, double t, DMatrixRMaj candidate) {
        double mu = 2 * (1 + TestMatrices.norm(x) / t);
        ProxFunction penalty = new ProxFunction() {
            @Override
            public double value(DMatrixRMaj v) {
                return mu * Math.max(0, TestMatrices.norm(v) - f.radius());
            }

            @Override
            public double prox(DMatrixRMaj v, double step, DMatrixRMaj out) {
                throw new UnsupportedOperationException("reference only");
            }
        };
        return BruteForceProx.nelderMead(penalty, x, t, x, 0.2 * (1 + TestMatrices.maxAbs(x)));
    }

    @Test
    void scalesPointsOutsideOntoTheSphereAndKeepsPointsInside() {
        IndBallL2 f = new IndBallL2(2.0);
        DMatrixRMaj outside = new DMatrixRMaj(new double[][] {{3.0, 4.0}});
        assertThat(f.prox(outside, 0.3).data).containsExactly(new double[] {1.2, 1.6},
                offset(1e-15));
        DMatrixRMaj inside = new DMatrixRMaj(new double[][] {{0.3}, {-1.9}});
        assertThat(f.prox(inside, 5.0).data).containsExactly(inside.data);
        assertThat(new IndBallL2(0.0).prox(outside, 1.0).data).containsExactly(0.0, 0.0);
    }

    /**
     * On larger shapes, against the KKT conditions: the projection is {@code x / (1 + mu)} with
     * {@code mu >= 0} solving {@code ||x|| / (1 + mu) = r} when {@code ||x|| > r}, found by bisection.
     */
    @Test
    void matchesTheKktSolutionOnLargerShapes() {
        RandomGenerator rng = TestMatrices.rng(8);
        for (int[] shape : new int[][] {{3, 3}, {10, 10}, {50, 3}}) {
            for (int trial = 0; trial < 5; trial++) {
                DMatrixRMaj x = TestMatrices.gaussian(shape[0], shape[1], 1.0, rng);
                double r = TestMatrices.norm(x) * rng.nextDouble(0.05, 1.5);
                DMatrixRMaj p = new IndBallL2(r).prox(x, TestMatrices.logUniform(0.01, 10, rng));
                double lo = 0;
                double hi = TestMatrices.norm(x) / r;
                for (int it = 0; it < 200; it++) {
                    double mu = 0.5 * (lo + hi);
                    if (TestMatrices.norm(x) / (1 + mu) > r) {
                        lo = mu;
                    } else {
                        hi = mu;
                    }
                }
                double mu = TestMatrices.norm(x) <= r ? 0 : 0.5 * (lo + hi);
                DMatrixRMaj ref = TestMatrices.combine(1 / (1 + mu), x, 0, x);
                assertThat(TestMatrices.maxAbsDifference(p, ref)).isLessThan(1e-14 * (1 + TestMatrices.maxAbs(x)));
            }
        }
    }

    @Test
    void valueAvoidsOverflowAndUnderflow() {
        IndBallL2 f = new IndBallL2(1.0);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1e200, 1e200}}))).isEqualTo(Double.POSITIVE_INFINITY);
        DMatrixRMaj huge = new DMatrixRMaj(new double[][] {{3e200, 4e200}});
        DMatrixRMaj p = new IndBallL2(5e200).prox(huge, 1.0);
        assertThat(p.data).containsExactly(huge.data);
        DMatrixRMaj tiny = new DMatrixRMaj(new double[][] {{3e-200, 4e-200}});
        DMatrixRMaj q = new IndBallL2(1e-200).prox(tiny, 1.0);
        assertThat(q.data).containsExactly(new double[] {0.6e-200, 0.8e-200},
                offset(1e-215));
        assertThat(f.value(new DMatrixRMaj(new double[][] {{Double.NaN}}))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void rejectsNegativeRadii() {
        assertThatThrownBy(() -> new IndBallL2(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("radius must be finite and nonnegative, got -1.0");
        assertThatThrownBy(() -> new IndBallL2(Double.POSITIVE_INFINITY))
                .hasMessage("radius must be finite and nonnegative, got Infinity");
    }
}
