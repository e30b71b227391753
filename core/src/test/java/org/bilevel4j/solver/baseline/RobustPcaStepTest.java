package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The inexact ALM of Lin, Chen and Ma (arXiv:1009.5055, Algorithm 5) written out with a dense SVD:
 * <pre>
 *   Y0 = M / max(||M||_2, ||M||_inf / lambda),  mu0 = muFactor / ||M||_2,  mu_max = mu0 muMaxRatio
 *   S+ = shrink_{lambda/mu}(M - L + Y/mu),  L+ = SVT_{1/mu}(M - S+ + Y/mu)
 *   Y+ = Y + mu (M - L+ - S+),  mu+ = min(rho mu, mu_max)
 * </pre>
 */
class RobustPcaStepTest {

    /** The iteration above; rows (objective, residual, rank, mu). */
    static final class Ref {
        final DMatrixRMaj m;
        final double lambda;
        final double rho;
        final double muMax;
        DMatrixRMaj low;
        DMatrixRMaj sparse;
        DMatrixRMaj dual;
        double mu;

        Ref(DMatrixRMaj m, LowRankSparse start, double lambda, RobustPca.Options o) {
            this.m = m;
            this.lambda = lambda;
            this.rho = o.rho();
            double norm2 = Reference.singularValues(m)[0];
            double inf = 0;
            for (double v : m.data) {
                inf = Math.max(inf, Math.abs(v));
            }
            dual = Reference.add(1 / Math.max(norm2, inf / lambda), m, 0, m);
            mu = o.muFactor() / norm2;
            muMax = mu * o.muMaxRatio();
            low = start.low().copy();
            sparse = start.sparse().copy();
        }

        double[] step() {
            DMatrixRMaj mPlusY = Reference.add(1, m, 1 / mu, dual);
            sparse = Reference.soft(Reference.add(1, mPlusY, -1, low), lambda / mu);
            Reference.Svt svt = Reference.svt(Reference.add(1, mPlusY, -1, sparse), 1 / mu);
            low = svt.out();
            DMatrixRMaj z = Reference.add(1, Reference.add(1, m, -1, low), -1, sparse);
            dual = Reference.add(1, dual, mu, z);
            double[] row = {svt.nuclearNorm() + lambda * Reference.l1(sparse),
                Reference.frobenius(z) / Reference.frobenius(m), svt.rank(), mu};
            mu = Math.min(rho * mu, muMax);
            return row;
        }
    }

    private static void assertFollows(DMatrixRMaj m, LowRankSparse start, RobustPca.Options o, int iterations) {
        double lambda = o.lambda().orElse(1 / Math.sqrt(Math.max(m.numRows, m.numCols)));
        Result<LowRankSparse> r = new RobustPca(o).solve(m, start, SolverOptions.builder().maxIterations(iterations)
                .build());
        assertThat(r.trace().size()).isEqualTo(iterations);
        Ref ref = new Ref(m, start, lambda, o);
        for (int k = 0; k < iterations; k++) {
            double[] expected = ref.step();
            double[] row = r.trace().row(k);
            // reached: about 1e-14 relative (two SVD algorithms)
            assertThat(row[2]).as("objective %d", k + 1).isCloseTo(expected[0], within(1e-11 * expected[0]));
            assertThat(row[3]).as("residual %d", k + 1).isCloseTo(expected[1], within(1e-11));
            assertThat(row[4]).as("rank %d", k + 1).isEqualTo(expected[2]);
            assertThat(row[5]).as("svd_rank %d", k + 1).isEqualTo(Math.min(m.numRows, m.numCols));
            assertThat(row[6]).as("mu %d", k + 1).isCloseTo(expected[3], within(1e-13 * expected[3]));
        }
        assertThat(Reference.maxAbsDifference(r.solution().low(), ref.low)).isLessThan(1e-11);
        assertThat(Reference.maxAbsDifference(r.solution().sparse(), ref.sparse)).isLessThan(1e-11);
    }

    @Test
    void iterationsFollowTheAlmFormulasFromZero() {
        // 7 x 5: lambda = 1/sqrt(7), mu grows by 1.5 up to 3 mu0 (reached at the fourth step)
        DMatrixRMaj m = Reference.uniform(7, 5, -1, 1, 4);
        m.set(2, 3, 6);
        RobustPca.Options o = new RobustPca.Options(OptionalDouble.empty(), 1.5, 1.25, 3, 0, SvdPolicy.defaults());
        assertFollows(m, LowRankSparse.zeros(7, 5), o, 8);
    }

    @Test
    void iterationsFollowTheAlmFormulasFromAStartWithAFixedLambda() {
        DMatrixRMaj m = Reference.uniform(5, 6, -2, 2, 5);
        LowRankSparse start = new LowRankSparse(Reference.uniform(5, 6, -1, 1, 6), Reference.uniform(5, 6, -1, 1, 7));
        RobustPca.Options o = new RobustPca.Options(OptionalDouble.of(0.3), 2.0, 0.5, 1e7, 0, SvdPolicy.alwaysFull());
        assertFollows(m, start, o, 6);
    }

    @Test
    void theFirstStepOnAOneByOneMatrixByHand() {
        // M = (4), lambda = 0.5: ||M||_2 = 4, ||M||_inf / lambda = 8, Y0 = 1/2; mu0 = 1.25 / 4 = 0.3125, 1/mu0 = 3.2.
        // S1 = shrink_{1.6}(4 + 1.6) = 4, L1 = SVT_{3.2}(4 - 4 + 1.6) = 0, Y1 = Y0 + mu0 * 0,
        // residual 0: converged in one step, objective lambda |S1| = 2
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{4}});
        Result<LowRankSparse> r = new RobustPca(RobustPca.Options.defaults().withLambda(0.5)).solve(m,
                LowRankSparse.zeros(1, 1), SolverOptions.defaults());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.solution().sparse().get(0, 0)).isCloseTo(4, within(1e-15));
        assertThat(r.solution().low().get(0, 0)).isZero();
        assertThat(r.trace().row(0)).containsExactly(new double[] {1, r.trace().row(0)[1], 2, 0, 0, 1, 0.3125},
                within(1e-15));
    }

    @Test
    void theZeroMatrixConvergesAtOnceToZero() {
        DMatrixRMaj m = new DMatrixRMaj(3, 4);
        RobustPca rpca = new RobustPca();
        RobustPcaState s = rpca.init(m, LowRankSparse.zeros(3, 4), SolverOptions.defaults());
        assertThat(s.residual()).isZero();
        assertThat(s.lambda()).isEqualTo(0.5);
        Result<LowRankSparse> r = rpca.solve(m, LowRankSparse.zeros(3, 4), SolverOptions.defaults());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.solution().low().data).containsOnly(0.0);
        assertThat(r.solution().sparse().data).containsOnly(0.0);
        // mu0 = muFactor / 1 when ||M||_2 = 0
        assertThat(r.trace().lastValue(RobustPcaState.MU)).isEqualTo(1.25);
        // the test is strict: a residual of 0 does not beat a tolerance of 0
        Result<LowRankSparse> strict = new RobustPca(RobustPca.Options.defaults().withTolerance(0)).solve(m,
                LowRankSparse.zeros(3, 4), SolverOptions.builder().maxIterations(3).build());
        assertThat(strict.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(strict.trace().column(RobustPcaState.RESIDUAL)).containsOnly(0.0);
    }

    @Test
    void theStateReportsItsIterateAndRollsBack() {
        DMatrixRMaj m = Reference.uniform(6, 5, -1, 1, 12);
        RobustPca rpca = new RobustPca(RobustPca.Options.defaults().withTolerance(1e-3));
        RobustPcaState s = rpca.init(m, LowRankSparse.zeros(6, 5), SolverOptions.defaults());
        assertThat(s.residual()).isCloseTo(1.0, within(1e-15));
        assertThat(s.converged()).isFalse();
        assertThat(s.isFinite()).isTrue();
        assertThat(s.traceColumns()).containsExactly(RobustPcaState.OBJECTIVE, RobustPcaState.RESIDUAL,
                RobustPcaState.RANK, RobustPcaState.SVD_RANK, RobustPcaState.MU);
        rpca.step(m, s);
        rpca.step(m, s);
        s.commit();
        DMatrixRMaj low = s.low().copy();
        DMatrixRMaj sparse = s.sparse().copy();
        assertThat(s.iteration()).isEqualTo(2);
        assertThat(s.rank()).isBetween(1, 5);
        double[] row = new double[5];
        s.traceValues(row);
        assertThat(s.objectives()).containsExactly(row[0], row[1]);
        assertThat(row[1]).isEqualTo(s.residual());
        assertThat(row[2]).isEqualTo(s.rank());
        // the residual is the relative distance of the current parts to M
        DMatrixRMaj z = Reference.add(1, Reference.add(1, m, -1, s.low()), -1, s.sparse());
        assertThat(s.residual()).isCloseTo(Reference.frobenius(z) / Reference.frobenius(m), within(1e-14));
        rpca.step(m, s);
        assertThat(s.low().data).isNotEqualTo(low.data);
        s.rollback();
        assertThat(s.low().data).isEqualTo(low.data);
        assertThat(s.sparse().data).isEqualTo(sparse.data);
        assertThat(s.solution().low().data).isEqualTo(low.data);
        assertThat(s.solution().low()).isNotSameAs(s.low());
        // the tolerance: converged exactly when the residual is below it
        Result<LowRankSparse> r = rpca.solve(m, LowRankSparse.zeros(6, 5), SolverOptions.defaults());
        double[] res = r.trace().column(RobustPcaState.RESIDUAL);
        assertThat(res[res.length - 1]).isLessThan(1e-3);
        assertThat(res[res.length - 2]).isGreaterThanOrEqualTo(1e-3);
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
    }

    @Test
    void theResidualOfTheStartIsItsRelativeDistanceToM() {
        DMatrixRMaj m = Reference.uniform(5, 6, -2, 2, 5);
        LowRankSparse start = new LowRankSparse(Reference.uniform(5, 6, -1, 1, 6), Reference.uniform(5, 6, -1, 1, 7));
        RobustPcaState s = new RobustPca().init(m, start, SolverOptions.defaults());
        DMatrixRMaj z = Reference.add(1, Reference.add(1, m, -1, start.low()), -1, start.sparse());
        assertThat(s.residual()).isCloseTo(Reference.frobenius(z) / Reference.frobenius(m), within(1e-15));
        assertThat(s.low().data).isEqualTo(start.low().data);
        assertThat(s.low()).isNotSameAs(start.low());
        assertThat(s.sparse().data).isEqualTo(start.sparse().data);
    }

    @Test
    void aNonFiniteStartIsRejected() {
        DMatrixRMaj m = Reference.uniform(3, 3, -1, 1, 1);
        DMatrixRMaj bad = new DMatrixRMaj(3, 3);
        bad.set(1, 1, Double.NaN);
        // the driver's check of the start (not a failure inside the first step)
        assertThatThrownBy(() -> new RobustPca().solve(m, new LowRankSparse(bad, new DMatrixRMaj(3, 3)),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the start point has non-finite values");
        assertThatThrownBy(() -> new RobustPca().solve(m, new LowRankSparse(new DMatrixRMaj(3, 3), bad),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the start point has non-finite values");
        assertThat(new RobustPca().init(m, new LowRankSparse(bad, new DMatrixRMaj(3, 3)), SolverOptions.defaults())
                .isFinite()).isFalse();
        assertThat(new RobustPca().init(m, new LowRankSparse(new DMatrixRMaj(3, 3), bad), SolverOptions.defaults())
                .isFinite()).isFalse();
        DMatrixRMaj mBad = m.copy();
        mBad.set(0, 2, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> new RobustPca().init(mBad, LowRankSparse.zeros(3, 3), SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new RobustPca().init(m, LowRankSparse.zeros(3, 2), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreValidatedAndKept() {
        RobustPca.Options d = RobustPca.Options.defaults();
        assertThat(d).isEqualTo(new RobustPca.Options(OptionalDouble.empty(), 1.5, 1.25, 1e7, 1e-7,
                SvdPolicy.defaults()));
        assertThat(new RobustPca().options()).isEqualTo(d);
        assertThat(new RobustPca().name()).isEqualTo("RPCA(inexact ALM)");
        assertThat(d.withLambda(0.2).lambda()).hasValue(0.2);
        assertThat(d.withTolerance(1e-3).tolerance()).isEqualTo(1e-3);
        assertThat(d.withSvd(SvdPolicy.alwaysFull()).svd()).isEqualTo(SvdPolicy.alwaysFull());
        assertThat(RobustPca.defaultLambda(4, 9)).isEqualTo(1.0 / 3);
        assertThat(RobustPca.defaultLambda(16, 9)).isEqualTo(0.25);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> d.withLambda(bad)).hasMessageContaining("lambda");
            assertThatThrownBy(() -> new RobustPca.Options(OptionalDouble.empty(), 1.5, bad, 1e7, 1e-7,
                    SvdPolicy.defaults())).hasMessageContaining("muFactor");
        }
        for (double bad : new double[] {1, 0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RobustPca.Options(OptionalDouble.empty(), bad, 1.25, 1e7, 1e-7,
                    SvdPolicy.defaults())).hasMessageContaining("rho");
        }
        for (double bad : new double[] {0.999, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RobustPca.Options(OptionalDouble.empty(), 1.5, 1.25, bad, 1e-7,
                    SvdPolicy.defaults())).hasMessageContaining("muMaxRatio");
        }
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> d.withTolerance(bad)).hasMessageContaining("tolerance");
        }
        assertThatThrownBy(() -> d.withSvd(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RobustPca(null)).isInstanceOf(NullPointerException.class);
        // the boundary values are allowed
        assertThat(new RobustPca.Options(OptionalDouble.empty(), 1.5, 1.25, 1, 0, SvdPolicy.defaults()).muMaxRatio())
                .isEqualTo(1);
    }

    @Test
    void thePartialSvdFollowsThePredictionRule() {
        // the rule of SvdPolicy: predict rank + 1 after a step whose computed triplets were not all above the
        // threshold, rank + max(1, round(0.05 min(m, n))) otherwise; double while all computed are above; the
        // full SVD once 2 (k + oversample) >= min(m, n)
        LowRankPlusSparse d = new LowRankPlusSparse(120, 100, 3, 0.05, 5.0, 0.0, 13);
        Result<LowRankSparse> r = new RobustPca(RobustPca.Options.defaults().withSvd(SvdPolicy.preferPartial()))
                .solve(d.m, LowRankSparse.zeros(120, 100), SolverOptions.builder().maxIterations(200).seed(4).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        double[] rank = r.trace().column(RobustPcaState.RANK);
        double[] computed = r.trace().column(RobustPcaState.SVD_RANK);
        int partial = 0;
        for (int k = 0; k < rank.length; k++) {
            int predicted = k == 0 ? 10 : rank[k - 1] < computed[k - 1] ? (int) rank[k - 1] + 1
                    : (int) rank[k - 1] + 5;
            int c = (int) computed[k];
            if (c == 100) {
                continue;
            }
            partial++;
            // c = predicted * 2^j, and every doubling saw all computed values above the threshold
            assertThat(c % predicted).as("iteration %d", k + 1).isZero();
            assertThat(Integer.bitCount(c / predicted)).as("iteration %d", k + 1).isEqualTo(1);
            assertThat(rank[k]).as("iteration %d", k + 1).isLessThan(c).isGreaterThanOrEqualTo(c > predicted ? c / 2 : 0);
            assertThat(2 * (c + 10)).isLessThan(100);
        }
        assertThat(partial).isGreaterThan(rank.length / 2);
        assertThat(rank[rank.length - 1]).isEqualTo(3);
    }
}
