package org.bilevel4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bilevel4j.function.SmoothFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SmoothFunction} meets, as a test interface: the gradient matches central
 * finite differences (per coordinate and along random directions, see {@link GradientCheck}), the
 * declared gradient Lipschitz constant holds on random pairs (near and far), the value returned with
 * the gradient is {@code f(x)}, and inputs are not modified. A test class supplies the instances (and,
 * where the defaults of {@link FunctionFixture} do not fit, shapes and points); both contracts share
 * {@link FunctionFixture}, so a class can implement both.
 *
 * @param <F> the type under test
 */
public interface SmoothContract<F extends SmoothFunction> extends FunctionFixture<F> {

    /** Seed of the trials of the {@code @Test} methods. */
    long SMOOTH_SEED = 20_240_602L;

    /** @return the relative tolerance of the finite-difference comparison */
    default double gradientTolerance() {
        return 1e-6;
    }

    @Test
    default void gradientMatchesCentralDifferences() {
        RandomGenerator rng = TestMatrices.rng(SMOOTH_SEED);
        for (F f : functions()) {
            for (int trial = 0; trial < 20; trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                GradientCheck.assertCoordinates(f, x, gradientTolerance());
                GradientCheck.assertDirections(f, x, 3, rng, gradientTolerance());
            }
        }
    }

    @Test
    default void gradientIsLipschitzWithTheDeclaredConstant() {
        RandomGenerator rng = TestMatrices.rng(SMOOTH_SEED + 1);
        for (F f : functions()) {
            for (int trial = 0; trial < 40; trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double distance = TestMatrices.logUniform(1e-6, 10, rng);
                DMatrixRMaj y = TestMatrices.combine(1, x, distance, TestMatrices.unitDirection(x, rng));
                GradientCheck.assertLipschitz(f, x, y);
            }
        }
    }

    @Property(tries = 200, seed = "42")
    default void gradientLipschitzProperty(@ForAll long seed) {
        RandomGenerator rng = TestMatrices.rng(seed);
        F f = functions().get(rng.nextInt(functions().size()));
        DMatrixRMaj x = randomPoint(f, rng);
        DMatrixRMaj y = TestMatrices.combine(1, x, TestMatrices.logUniform(1e-4, 10, rng),
                TestMatrices.unitDirection(x, rng));
        GradientCheck.assertLipschitz(f, x, y);
    }

    @Test
    default void valueAndGradientAgreeWithValueAndLeaveTheInput() {
        RandomGenerator rng = TestMatrices.rng(SMOOTH_SEED + 2);
        for (F f : functions()) {
            assertThat(f.isSmooth()).as("%s is smooth", f).isTrue();
            for (int trial = 0; trial < 20; trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                DMatrixRMaj backup = x.copy();
                DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
                Arrays.fill(g.data, Double.NaN); // the gradient buffer must be overwritten, not read
                double v = f.valueAndGradient(x, g);
                assertThat(v).as("value returned with the gradient of %s", f).isEqualTo(f.value(x));
                assertThat(TestMatrices.maxAbs(g)).as("gradient of %s is finite", f).isFinite();
                DMatrixRMaj g2 = new DMatrixRMaj(x.numRows, x.numCols);
                f.gradient(x, g2);
                assertThat(g2.data).as("gradient() of %s", f).containsExactly(g.data);
                assertThat(x.data).as("x is not modified by %s", f).containsExactly(backup.data);
            }
        }
    }

    @Test
    default void rejectsAGradientBufferOfTheWrongShape() {
        RandomGenerator rng = TestMatrices.rng(SMOOTH_SEED + 3);
        for (F f : functions()) {
            DMatrixRMaj x = randomPoint(f, rng);
            DMatrixRMaj wrong = new DMatrixRMaj(x.numRows + 1, x.numCols);
            assertThatThrownBy(() -> f.valueAndGradient(x, wrong)).as("%s with a wrong gradient shape", f)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
