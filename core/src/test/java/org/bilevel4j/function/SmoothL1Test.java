package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.GradientCheck;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.SmoothContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class SmoothL1Test implements ProxContract<SmoothL1>, SmoothContract<SmoothL1> {

    @Override
    public List<SmoothL1> functions() {
        return List.of(new SmoothL1(0.05), new SmoothL1(1.0), new SmoothL1(20.0));
    }

    /** {@code g(v) = v + t v / sqrt(v^2 + d^2) - x} relative to the size of its terms. */
    private static double relativeResidual(double x, double t, double d, double v) {
        double r = Math.hypot(v, d);
        double ratio = v / r;
        double term = Math.abs(ratio) >= Double.MIN_NORMAL ? t * ratio : (t * v) / r; // t v / r without underflow
        return Math.abs(v + term - x) / (Math.abs(x) + Math.abs(v) + Math.abs(term));
    }

    @Test
    void scalarProxSolvesTheOptimalityEquationToMachinePrecision() {
        RandomGenerator rng = TestMatrices.rng(21);
        double[] deltas = {1e-300, 1e-100, 1e-12, 1e-3, 0.05, 1, 20, 1e6, 1e100};
        for (int trial = 0; trial < 20000; trial++) {
            double d = deltas[rng.nextInt(deltas.length)];
            boolean extreme = rng.nextInt(4) == 0;
            double t = extreme ? TestMatrices.logUniform(1e-300, 1e300, rng) : TestMatrices.logUniform(1e-8, 1e8, rng);
            double x = (rng.nextBoolean() ? 1 : -1) * switch (rng.nextInt(4)) {
                case 0 -> TestMatrices.logUniform(1e-300, 1e300, rng);
                case 1 -> t * (1 + 1e-6 * rng.nextDouble(-1, 1)); // near the kink of the l1 limit
                case 2 -> d * TestMatrices.logUniform(1e-6, 1e6, rng); // the scale of delta
                default -> TestMatrices.logUniform(1e-12, 1e12, rng);
            };
            double v = SmoothL1.proxScalar(x, t, d);
            assertThat(v * Math.signum(x)).as("v has the sign of x (or is 0): x = %s, t = %s, d = %s, v = %s", x, t, d, v)
                    .isGreaterThanOrEqualTo(0.0);
            assertThat(Math.abs(v)).as("|v| <= |x|").isLessThanOrEqualTo(Math.abs(x));
            if (Math.abs(v) >= Double.MIN_NORMAL) { // subnormal roots carry only a few bits
                assertThat(relativeResidual(x, t, d, v)).as("residual at x = %s, t = %s, d = %s: v = %s", x, t, d, v)
                        .isLessThanOrEqualTo(4 * Math.ulp(1.0));
            }
        }
    }

    @Test
    void scalarProxHandlesExtremeInputs() {
        assertThat(SmoothL1.proxScalar(0.0, 1.0, 1.0)).isEqualTo(0.0);
        assertThat(Math.copySign(1.0, SmoothL1.proxScalar(-0.0, 1.0, 1.0))).isEqualTo(-1.0);
        assertThat(SmoothL1.proxScalar(Double.NaN, 1.0, 1.0)).isNaN();
        assertThat(SmoothL1.proxScalar(Double.NEGATIVE_INFINITY, 1.0, 1.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        // far from 0 the prox moves by t (the slope of f tends to 1): 1e200 - 1 rounds to 1e200
        assertThat(SmoothL1.proxScalar(1e200, 1.0, 1.0)).isEqualTo(1e200);
        assertThat(SmoothL1.proxScalar(-1e3, 2.0, 1e-3)).isCloseTo(-998.0, offset(1e-9));
        // near 0, sqrt(v^2 + d^2) is about d + v^2/(2d): the prox is x / (1 + t/d)
        double v = SmoothL1.proxScalar(1e-300, 1.0, 1.0);
        assertThat(v).isCloseTo(0.5e-300, offset(1e-315));
        // t / d = 1e20: the root is about x d / t = 3e-20, far below the bracket width t
        double w = SmoothL1.proxScalar(3.0, 1e10, 1e-10);
        assertThat(w).isCloseTo(3e-20, offset(1e-30));
        assertThat(relativeResidual(3.0, 1e10, 1e-10, w)).isLessThanOrEqualTo(4 * Math.ulp(1.0));
        // with t / d = 1e600 the root, about 3e-600, underflows: 0 is the correctly rounded answer
        assertThat(SmoothL1.proxScalar(3.0, 1e300, 1e-300)).isEqualTo(0.0);
    }

    @Test
    void gradientLipschitzConstantIsAttainedNearZero() {
        SmoothL1 f = new SmoothL1(0.5);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1e-7}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{-1e-7}});
        assertThat(GradientCheck.assertLipschitz(f, x, y)).isCloseTo(2.0, offset(1e-9));
        assertThat(f.lipschitzConstant().getAsDouble()).isEqualTo(2.0);
        assertThat(f.lipschitzConstant(4, 9).getAsDouble()).isEqualTo(6.0);
        assertThat(f.delta()).isEqualTo(0.5);
        assertThat(f).hasToString("SmoothL1(0.5)");
    }

    @Test
    void valueAndGradientAvoidOverflow() {
        SmoothL1 f = new SmoothL1(1e-200);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3e-200, 1e200}});
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        double v = f.valueAndGradient(x, g);
        assertThat(v).isCloseTo(1e200, offset(1e186));
        assertThat(g.data[0]).isCloseTo(3 / Math.sqrt(10), offset(1e-15));
        assertThat(g.data[1]).isEqualTo(1.0);
    }

    @Test
    void rejectsNonPositiveDelta() {
        assertThatThrownBy(() -> new SmoothL1(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delta must be finite and positive, got 0.0");
        assertThatThrownBy(() -> new SmoothL1(Double.NaN)).hasMessage("delta must be finite and positive, got NaN");
    }
}
