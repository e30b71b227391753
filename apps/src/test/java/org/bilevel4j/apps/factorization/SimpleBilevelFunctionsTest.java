package org.bilevel4j.apps.factorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.apps.toys.CircleQuartic;
import org.bilevel4j.apps.toys.HalfSqrDistance;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.testing.GradientCheck;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of every smooth function of the simple bilevel experiments. */
class SimpleBilevelFunctionsTest {

    private final RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(2025);

    @Test
    void circleQuarticGradient() {
        CircleQuartic g = new CircleQuartic();
        for (int k = 0; k < 20; k++) {
            GradientCheck.assertCoordinates(g, TestMatrices.gaussian(2, 1, 1.2, rnd), 1e-8);
        }
        GradientCheck.assertCoordinates(g, TestMatrices.gaussian(4, 3, 0.5, rnd), 1e-8);
        DMatrixRMaj onCircle = new DMatrixRMaj(2, 1, true, 0.6, 0.8);
        DMatrixRMaj grad = new DMatrixRMaj(2, 1);
        assertThat(g.valueAndGradient(onCircle, grad)).isCloseTo(0, within(1e-30));
        assertThat(MatOps.normSq(grad)).isLessThan(1e-30);
        assertThat(g.value(new DMatrixRMaj(2, 1))).isEqualTo(0.25);
        assertThat(CircleQuartic.levelRadii(0.01)).containsExactly(Math.sqrt(1.2), Math.sqrt(0.8));
        assertThat(CircleQuartic.levelRadii(1)).containsExactly(Math.sqrt(3));
        for (double r : CircleQuartic.levelRadii(0.05)) {
            assertThat(g.value(new DMatrixRMaj(2, 1, true, r / Math.sqrt(2), -r / Math.sqrt(2))))
                    .isCloseTo(0.05, within(1e-15));
        }
    }

    @Test
    void halfSqrDistanceGradient() {
        HalfSqrDistance f = new HalfSqrDistance(new DMatrixRMaj(2, 1, true, 2, 0));
        for (int k = 0; k < 10; k++) {
            GradientCheck.assertCoordinates(f, TestMatrices.gaussian(2, 1, 2, rnd), 1e-8);
        }
        // ||grad f(a) - grad f(b)|| <= L ||a - b|| on pairs from far apart to very close
        for (int k = 0; k < 100; k++) {
            DMatrixRMaj a = TestMatrices.gaussian(2, 1, 1, rnd);
            double spread = Math.pow(10, -3 * rnd.nextDouble());
            DMatrixRMaj b = TestMatrices.combine(1, a, spread, TestMatrices.gaussian(2, 1, 1, rnd));
            GradientCheck.assertLipschitz(f, a, b);
        }
    }

    @Test
    void symmetricFactorizationLossGradient() {
        SymmetricFactorization inst = SymmetricFactorization.generate(7, 3, 1.0, 11);
        SymmetricFactorizationLoss g = inst.lower();
        for (int k = 0; k < 5; k++) {
            GradientCheck.assertCoordinates(g, TestMatrices.gaussian(7, 3, 1, rnd), 1e-7);
        }
        // g vanishes at U = W for A = W W^T
        SymmetricFactorization exact = SymmetricFactorization.generate(7, 3, 0.0, 11);
        DMatrixRMaj grad = new DMatrixRMaj(7, 3);
        assertThat(exact.lower().valueAndGradient(exact.w(), grad)).isLessThan(1e-25);
        assertThat(MatOps.normSq(grad)).isLessThan(1e-24);
        assertThatThrownBy(() -> new SymmetricFactorizationLoss(new DMatrixRMaj(2, 2, true, 1, 2, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symmetric");
        assertThatThrownBy(() -> g.value(new DMatrixRMaj(6, 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instanceIsReproducibleAndHasTheStatedMinimum() {
        SymmetricFactorization a = SymmetricFactorization.generate(20, 5, 1.0, 3);
        SymmetricFactorization b = SymmetricFactorization.generate(20, 5, 1.0, 3);
        SymmetricFactorization c = SymmetricFactorization.generate(20, 5, 0.0, 3);
        assertThat(a.a().data).containsExactly(b.a().data);
        assertThat(a.start().data).containsExactly(b.start().data);
        // same W and U0 for both shifts
        assertThat(c.w().data).containsExactly(a.w().data);
        assertThat(c.start().data).containsExactly(a.start().data);
        DMatrixRMaj ww = new DMatrixRMaj(20, 20);
        Gemm.multTransB(a.w(), a.w(), ww);
        assertThat(a.a().get(3, 3) - ww.get(3, 3)).isCloseTo(1, within(1e-12));
        assertThat(a.lowerMinimum()).isCloseTo(15 / 4.0, within(1e-10));
        assertThat(c.lowerMinimum()).isCloseTo(0, within(1e-20));
        assertThat(a.spectralNorm()).isGreaterThan(1);
        // U0 = 0.1 N(0, 1): sample std near 0.1
        double sd = Math.sqrt(MatOps.normSq(a.start()) / 100);
        assertThat(sd).isBetween(0.07, 0.13);
    }
}
