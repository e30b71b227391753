package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * LeastSquares, Quadratic and SmoothFunction.of against their definitions: values by the formula,
 * gradients by central differences (the main GradientCheck and the test fixture's), Lipschitz
 * constants by the ratio ||grad f(x) - grad f(z)|| / ||x - z||, which never exceeds L and reaches it
 * along the extreme singular (eigen)vector.
 */
class BuildingBlocksTest {

    private final RandomGenerator rng = TestMatrices.rng(15);

    @Test
    void leastSquaresValueGradientAndLipschitz() {
        DMatrixRMaj a = TestMatrices.gaussian(7, 4, 1.0, rng);
        DMatrixRMaj b = TestMatrices.gaussian(7, 1, 1.0, rng);
        LeastSquares f = new LeastSquares(a, b);
        DMatrixRMaj x = TestMatrices.gaussian(4, 1, 1.0, rng);
        DMatrixRMaj r = new DMatrixRMaj(7, 1);
        CommonOps_DDRM.mult(a, x, r);
        CommonOps_DDRM.subtractEquals(r, b);
        assertThat(f.value(x)).isCloseTo(0.5 * CommonOps_DDRM.dot(r, r), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(GradientCheck.check(f, x).maxRelativeError()).isLessThan(1e-8);
        org.bilevel4j.testing.GradientCheck.assertCoordinates(f, x, 1e-7);

        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(7, 4, false, true, true);
        assertThat(svd.decompose(a.copy())).isTrue();
        double smax = 0;
        int top = 0;
        for (int i = 0; i < svd.numberOfSingularValues(); i++) {
            if (svd.getSingularValues()[i] > smax) {
                smax = svd.getSingularValues()[i];
                top = i;
            }
        }
        double lip = f.lipschitzConstant().getAsDouble();
        assertThat(lip).isCloseTo(smax * smax, org.assertj.core.data.Offset.offset(1e-10 * lip));
        for (int k = 0; k < 20; k++) {
            DMatrixRMaj z = TestMatrices.gaussian(4, 1, 2.0, rng);
            assertThat(GradientCheck.lipschitzRatio(f, x, z)).isLessThanOrEqualTo(lip * (1 + 1e-12));
        }
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj z = x.copy();
        for (int i = 0; i < 4; i++) {
            z.data[i] += v.get(i, top);
        }
        assertThat(GradientCheck.lipschitzRatio(f, x, z)).isCloseTo(lip, org.assertj.core.data.Offset.offset(1e-9 * lip));
        assertThat(f.isConvex()).isTrue();
    }

    @Test
    void leastSquaresRefusesWrongShapes() {
        LeastSquares f = LeastSquares.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[] {1, 2, 3});
        assertThatThrownBy(() -> f.value(new DMatrixRMaj(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x is 3x1, LeastSquares expects 2x1");
        assertThatThrownBy(() -> LeastSquares.of(new double[][] {{1, 2}}, new double[] {1, 2}))
                .hasMessageContaining("one entry per row of A (1)");
    }

    @Test
    void quadraticValueGradientLipschitzAndTraits() {
        DMatrixRMaj m = TestMatrices.gaussian(5, 5, 1.0, rng);
        DMatrixRMaj q = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.add(m, CommonOps_DDRM.transpose(m, null), q); // symmetric, indefinite in general
        DMatrixRMaj c = TestMatrices.gaussian(5, 1, 1.0, rng);
        Quadratic f = new Quadratic(q, c);
        DMatrixRMaj x = TestMatrices.gaussian(5, 1, 1.0, rng);
        DMatrixRMaj qx = new DMatrixRMaj(5, 1);
        CommonOps_DDRM.mult(q, x, qx);
        double expected = 0.5 * CommonOps_DDRM.dot(x, qx) + CommonOps_DDRM.dot(c, x);
        assertThat(f.value(x)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12 * (1 + Math.abs(expected))));
        assertThat(GradientCheck.check(f, x).maxRelativeError()).isLessThan(1e-8);
        org.bilevel4j.testing.GradientCheck.assertCoordinates(f, x, 1e-7);

        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(5, true, true);
        assertThat(eig.decompose(q.copy())).isTrue();
        int top = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 5; i++) {
            if (Math.abs(eig.getEigenvalue(i).real) > Math.abs(eig.getEigenvalue(top).real)) {
                top = i;
            }
            min = Math.min(min, eig.getEigenvalue(i).real);
        }
        double lip = f.lipschitzConstant().getAsDouble();
        assertThat(lip).isCloseTo(Math.abs(eig.getEigenvalue(top).real), org.assertj.core.data.Offset.offset(1e-10 * lip));
        for (int k = 0; k < 20; k++) {
            DMatrixRMaj z = TestMatrices.gaussian(5, 1, 2.0, rng);
            assertThat(GradientCheck.lipschitzRatio(f, x, z)).isLessThanOrEqualTo(lip * (1 + 1e-12));
        }
        DMatrixRMaj z = x.copy();
        CommonOps_DDRM.addEquals(z, eig.getEigenVector(top));
        assertThat(GradientCheck.lipschitzRatio(f, x, z)).isCloseTo(lip, org.assertj.core.data.Offset.offset(1e-9 * lip));
        assertThat(f.minEigenvalue()).isCloseTo(min, org.assertj.core.data.Offset.offset(1e-10 * lip));
        assertThat(f.isConvex()).isEqualTo(min >= 0);

        Quadratic psd = Quadratic.of(new double[][] {{2, 1}, {1, 2}}, new double[] {0, 0});
        assertThat(psd.isConvex()).isTrue();
        assertThat(psd.isStronglyConvex()).isTrue();
        assertThat(psd.lipschitzConstant().getAsDouble()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(Quadratic.of(new double[][] {{1, 0}, {0, 0}}, new double[] {0, 0}).isStronglyConvex()).isFalse();
    }

    @Test
    void quadraticRefusesAnAsymmetricMatrix() {
        assertThatThrownBy(() -> Quadratic.of(new double[][] {{1, 2}, {0, 1}}, new double[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q must be symmetric");
        assertThatThrownBy(() -> Quadratic.of(new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0, 0}))
                .hasMessageContaining("c must be a vector of length 2");
        // four entries for a 4 x 4 Q, but as a 2 x 2 matrix: refused; as a row or a column: accepted
        DMatrixRMaj q4 = CommonOps_DDRM.identity(4);
        assertThatThrownBy(() -> new Quadratic(q4, new DMatrixRMaj(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("c must be a vector of length 4 (Q is 4x4), got 2x2");
        assertThat(new Quadratic(q4, new DMatrixRMaj(1, 4, true, 1, 2, 3, 4)).value(new DMatrixRMaj(4, 1)))
                .isZero();
        assertThat(new Quadratic(q4, new DMatrixRMaj(4, 1, true, 1, 2, 3, 4))
                .value(new DMatrixRMaj(4, 1, true, 1, 0, 0, 0))).isEqualTo(1.5);
    }

    @Test
    void smoothFunctionOfLambdas() {
        // f(x) = sum_i cos(x_i) + x_0 x_1, grad = -sin(x_i) + (x_1, x_0, 0)
        SmoothFunction f = SmoothFunction.of(x -> Math.cos(x.get(0)) + Math.cos(x.get(1)) + Math.cos(x.get(2))
                + x.get(0) * x.get(1), (x, g) -> {
                    g.set(0, -Math.sin(x.get(0)) + x.get(1));
                    g.set(1, -Math.sin(x.get(1)) + x.get(0));
                    g.set(2, -Math.sin(x.get(2)));
                });
        DMatrixRMaj x = TestMatrices.gaussian(3, 1, 1.0, rng);
        assertThat(GradientCheck.check(f, x).maxRelativeError()).isLessThan(1e-8);
        assertThat(f.lipschitzConstant()).isEmpty();
        DMatrixRMaj g = new DMatrixRMaj(3, 1);
        assertThat(f.valueAndGradient(x, g)).isEqualTo(f.value(x));

        // Hessian [[-cos x0, 1, 0], [1, -cos x1, 0], [0, 0, -cos x2]]: norm at most 2
        SmoothFunction withL = SmoothFunction.of(f::value, f::gradient, 2.0);
        assertThat(withL.lipschitzConstant().getAsDouble()).isEqualTo(2.0);
        for (int k = 0; k < 20; k++) {
            assertThat(GradientCheck.lipschitzRatio(withL, x, TestMatrices.gaussian(3, 1, 3.0, rng)))
                    .isLessThanOrEqualTo(2.0);
        }
        assertThatThrownBy(() -> SmoothFunction.of(f::value, f::gradient, -1))
                .hasMessageContaining("Lipschitz constant must be nonnegative and finite, got -1");
    }

    @Test
    void gradientCheckFindsTheWorstCoordinate() {
        // f(x) = 1/2 ||x||^2 with the gradient's second entry of the wrong sign
        SmoothFunction wrong = SmoothFunction.of(v -> 0.5 * CommonOps_DDRM.dot(v, v), (v, g) -> {
            g.setTo(v);
            g.data[1] = -v.data[1];
        });
        DMatrixRMaj x = new DMatrixRMaj(3, 1, true, 0.5, 2.0, -1.0);
        GradientCheck.Report r = GradientCheck.check(wrong, x);
        assertThat(r.worstIndex()).isEqualTo(1);
        assertThat(r.analytic()).isEqualTo(-2.0);
        assertThat(r.numeric()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(r.maxRelativeError()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(r.passes(1e-6)).isFalse();
        assertThatThrownBy(() -> r.requireBelow(1e-6)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at entry 1");
        // a missing factor: grad of x^2 written as x
        SmoothFunction half = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> g.setTo(v));
        assertThat(GradientCheck.check(half, x).maxRelativeError()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-8));
        // at a stationary point the floor keeps rounding noise small
        assertThat(GradientCheck.check(new LeastSquares(CommonOps_DDRM.identity(3), x), x).maxRelativeError())
                .isLessThan(1e-6);
    }
}
