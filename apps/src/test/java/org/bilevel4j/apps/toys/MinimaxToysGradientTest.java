package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.apps.toys.FiniteDifferences.col;

import java.util.SplittableRandom;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.bilevel4j.solver.minimax.MinimaxPenalty;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite-difference checks of every partial gradient of T1 to T5, of their penalties, and of finite-sum T1. */
class MinimaxToysGradientTest {

    @ParameterizedTest
    @ValueSource(strings = {"T1", "T2", "T3", "T4", "T5"})
    void partialGradientsMatchFiniteDifferences(String name) {
        FiniteDifferences.checkProblem(MinimaxToys.byName(name).problem(), name.hashCode(), 25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"T1", "T2", "T3", "T4", "T5"})
    void penaltyGradientsMatchFiniteDifferences(String name) {
        MinimaxPenalty pen = new MinimaxPenalty(MinimaxToys.byName(name).problem(), 7.3);
        SplittableRandom rnd = new SplittableRandom(name.hashCode() + 1L);
        for (int t = 0; t < 10; t++) {
            double[] u = FiniteDifferences.randomIn(pen.uDomain(), rnd);
            double[] v = FiniteDifferences.randomIn(pen.vDomain(), rnd);
            DMatrixRMaj gu = new DMatrixRMaj(u.length, 1);
            DMatrixRMaj gv = new DMatrixRMaj(v.length, 1);
            pen.gradient(col(u), col(v), gu, gv);
            FiniteDifferences.assertClose(name + " grad_u P", gu.data,
                    FiniteDifferences.gradient(a -> pen.value(col(a), col(v)), u));
            FiniteDifferences.assertClose(name + " grad_v P", gv.data,
                    FiniteDifferences.gradient(a -> pen.value(col(u), col(a)), v));
        }
    }

    @Test
    void finiteSumT1HasT1AsItsMeanAndAnUnbiasedSampler() {
        T1FiniteSum fs = new T1FiniteSum(100, 1.0, 42);
        SampledMinimaxBilevelProblem sp = fs.sampled();
        MinimaxBilevelProblem full = sp.problem();
        FiniteDifferences.checkProblem(full, 3, 10);
        MinimaxBilevelProblem t1 = new T1StronglyConvexConcave().problem();
        SplittableRandom rnd = new SplittableRandom(4);
        var rng = RandomGeneratorFactory.of("L64X128MixRandom").create(9);
        for (int t = 0; t < 10; t++) {
            double[] x1 = FiniteDifferences.randomIn(full.x1Domain(), rnd);
            double[] y1 = FiniteDifferences.randomIn(full.y1Domain(), rnd);
            double[] y2 = FiniteDifferences.randomIn(full.y2Domain(), rnd);
            // the mean of the components is T1's lower level, and the problem's lower level is that mean
            double mean = 0;
            for (int i = 0; i < fs.components(); i++) {
                mean += fs.componentValue(i, x1[0], y1[0], y2[0]) / fs.components();
            }
            double t1Value = t1.lowerValue(col(x1), col(y1), col(y2));
            double tol = 1e-11 * Math.max(1, Math.abs(t1Value));
            assertThat(mean).isCloseTo(t1Value, within(tol));
            assertThat(full.lowerValue(col(x1), col(y1), col(y2))).isCloseTo(t1Value, within(tol));
            DMatrixRMaj g1 = new DMatrixRMaj(1, 1);
            DMatrixRMaj g3 = new DMatrixRMaj(1, 1);
            DMatrixRMaj g4 = new DMatrixRMaj(1, 1);
            full.lowerValueAndGradient(col(x1), col(y1), col(y2), g1, g3, g4);
            // a minibatch of all N components is the full gradient
            DMatrixRMaj s1 = new DMatrixRMaj(1, 1);
            DMatrixRMaj s3 = new DMatrixRMaj(1, 1);
            DMatrixRMaj s4 = new DMatrixRMaj(1, 1);
            sp.sampler().draw(rng, fs.components());
            assertThat(sp.sampler().estimate(col(x1), col(y1), col(y2), s1, s3, s4)).isEqualTo(100);
            FiniteDifferences.assertClose("full batch", new double[] {s1.data[0], s3.data[0], s4.data[0]},
                    new double[] {g1.data[0], g3.data[0], g4.data[0]});
            // minibatches of 10 differ from it, and average to it over many draws
            double[] avg = new double[3];
            int draws = 4000;
            for (int k = 0; k < draws; k++) {
                sp.sampler().draw(rng, 10);
                assertThat(sp.sampler().estimate(col(x1), col(y1), col(y2), s1, s3, s4)).isEqualTo(10);
                avg[0] += s1.data[0] / draws;
                avg[1] += s3.data[0] / draws;
                avg[2] += s4.data[0] / draws;
            }
            double[] g = {g1.data[0], g3.data[0], g4.data[0]};
            for (int i = 0; i < 3; i++) {
                // standard error of the average: about spread * |coordinates| / sqrt(12 * 10 * draws) < 0.05
                assertThat(avg[i]).isCloseTo(g[i], within(0.15));
            }
        }
    }
}
