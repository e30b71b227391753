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
 * The accelerated proximal gradient method with continuation of Lin, Ganesh, Wright, Wu, Chen and Ma
 * (2009) for stable PCP (Zhou et al. 2010), written out with a dense SVD:
 * <pre>
 *   Y_L = L + (t_prev - 1)/t (L - L_prev),  Y_S likewise,  G = Y_L + Y_S - M
 *   L+ = SVT_{mu/2}(Y_L - G/2),  S+ = shrink_{lambda mu/2}(Y_S - G/2)
 *   t+ = (1 + sqrt(1 + 4 t^2))/2,  mu+ = max(eta mu, target),  mu_0 = max(0.99 ||M||_2, target)
 *   R = (G+ - G - 2 (L+ - Y_L), G+ - G - 2 (S+ - Y_S)),  residual = ||R|| / (2 max(1, ||(L+, S+)||))
 *   objective = ||L+||_* + lambda ||S+||_1 + ||M - L+ - S+||^2 / (2 target)
 * </pre>
 */
class StablePcpStepTest {

    /** The iteration above; rows (objective, residual, rank, mu). */
    static final class Ref {
        final DMatrixRMaj m;
        final double lambda;
        final double target;
        final double eta;
        DMatrixRMaj low;
        DMatrixRMaj sparse;
        DMatrixRMaj lowPrev;
        DMatrixRMaj sparsePrev;
        double t = 1;
        double tPrev = 1;
        double mu;

        Ref(DMatrixRMaj m, LowRankSparse start, double lambda, double target, double eta) {
            this.m = m;
            this.lambda = lambda;
            this.target = target;
            this.eta = eta;
            this.mu = Math.max(0.99 * Reference.singularValues(m)[0], target);
            low = start.low().copy();
            sparse = start.sparse().copy();
            lowPrev = low.copy();
            sparsePrev = sparse.copy();
        }

        double[] step() {
            double w = (tPrev - 1) / t;
            DMatrixRMaj yl = Reference.add(1 + w, low, -w, lowPrev);
            DMatrixRMaj ys = Reference.add(1 + w, sparse, -w, sparsePrev);
            DMatrixRMaj g = Reference.add(1, Reference.add(1, yl, 1, ys), -1, m);
            Reference.Svt svt = Reference.svt(Reference.add(1, yl, -0.5, g), mu / 2);
            DMatrixRMaj l = svt.out();
            DMatrixRMaj s = Reference.soft(Reference.add(1, ys, -0.5, g), lambda * mu / 2);
            DMatrixRMaj gNew = Reference.add(1, Reference.add(1, l, 1, s), -1, m);
            DMatrixRMaj dg = Reference.add(1, gNew, -1, g);
            DMatrixRMaj rl = Reference.add(1, dg, -2, Reference.add(1, l, -1, yl));
            DMatrixRMaj rs = Reference.add(1, dg, -2, Reference.add(1, s, -1, ys));
            double r = Math.hypot(Reference.frobenius(rl), Reference.frobenius(rs));
            double x = Math.hypot(Reference.frobenius(l), Reference.frobenius(s));
            double residual = r / (2 * Math.max(1, x));
            double fit = Reference.frobenius(gNew);
            double objective = svt.nuclearNorm() + lambda * Reference.l1(s) + fit * fit / (2 * target);
            double[] row = {objective, residual, svt.rank(), mu};
            lowPrev = low;
            sparsePrev = sparse;
            low = l;
            sparse = s;
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            tPrev = t;
            t = tNext;
            mu = Math.max(eta * mu, target);
            return row;
        }
    }

    private static Ref assertFollows(DMatrixRMaj m, LowRankSparse start, StablePcp.Options o, double lambda,
            double target, int iterations) {
        Result<LowRankSparse> r = new StablePcp(o).solve(m, start, SolverOptions.builder().maxIterations(iterations)
                .build());
        Ref ref = new Ref(m, start, lambda, target, o.eta());
        int k = 0;
        boolean converged = false;
        while (!converged && k < iterations) {
            double[] expected = ref.step();
            double[] row = r.trace().row(k);
            k++;
            // reached: about 1e-14 relative (two SVD algorithms)
            assertThat(row[2]).as("objective %d", k).isCloseTo(expected[0], within(1e-11 * expected[0]));
            assertThat(row[3]).as("residual %d", k).isCloseTo(expected[1], within(1e-11));
            assertThat(row[4]).as("rank %d", k).isEqualTo(expected[2]);
            assertThat(row[5]).as("svd_rank %d", k).isEqualTo(Math.min(m.numRows, m.numCols));
            assertThat(row[6]).as("mu %d", k).isCloseTo(expected[3], within(1e-13 * expected[3]));
            converged = expected[3] <= target && expected[1] <= o.tolerance();
        }
        assertThat(r.iterations()).isEqualTo(k);
        assertThat(r.stopReason()).isEqualTo(converged ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS);
        assertThat(Reference.maxAbsDifference(r.solution().low(), ref.low)).isLessThan(1e-11);
        assertThat(Reference.maxAbsDifference(r.solution().sparse(), ref.sparse)).isLessThan(1e-11);
        return ref;
    }

    @Test
    void iterationsFollowTheApgFormulasFromZero() {
        // 7 x 5, lambda = 1/sqrt(7), target mu = 0.05 ||M||_2 reached after about 6 steps of eta = 0.6
        DMatrixRMaj m = Reference.uniform(7, 5, -1, 1, 14);
        m.set(1, 4, 5);
        double norm2 = Reference.singularValues(m)[0];
        StablePcp.Options o = new StablePcp.Options(OptionalDouble.empty(), OptionalDouble.empty(), 0.05, 0.6, 0,
                SvdPolicy.defaults());
        assertFollows(m, LowRankSparse.zeros(7, 5), o, 1 / Math.sqrt(7), 0.05 * norm2, 12);
    }

    @Test
    void theOddLastEntryCountsInTheSumsWithItsOutlier() {
        // 5 x 3 (kept transposed, 15 entries: the sums run in pairs and the last entry alone); an outlier
        // there puts a nonzero entry of S into the lone entry's terms of the l1 norm, the residual and
        // the objective
        DMatrixRMaj m = Reference.uniform(5, 3, -1, 1, 21);
        m.set(4, 2, 6);
        double norm2 = Reference.singularValues(m)[0];
        StablePcp.Options o = new StablePcp.Options(OptionalDouble.empty(), OptionalDouble.empty(), 0.05, 0.6, 0,
                SvdPolicy.defaults());
        Ref ref = assertFollows(m, LowRankSparse.zeros(5, 3), o, 1 / Math.sqrt(5), 0.05 * norm2, 10);
        assertThat(ref.sparse.get(4, 2)).as("S at the outlier").isGreaterThan(1.0);
    }

    @Test
    void iterationsFollowTheApgFormulasFromAStartUntilTheyConverge() {
        DMatrixRMaj m = Reference.uniform(5, 6, -2, 2, 15);
        LowRankSparse start = new LowRankSparse(Reference.uniform(5, 6, -1, 1, 16), Reference.uniform(5, 6, -1, 1, 17));
        StablePcp.Options o = new StablePcp.Options(OptionalDouble.of(0.4), OptionalDouble.of(0.7), 1e-5, 0.5, 1e-4,
                SvdPolicy.alwaysFull());
        Ref ref = assertFollows(m, start, o, 0.4, 0.7, 2000);
        assertThat(ref.mu).isEqualTo(0.7);
    }

    @Test
    void theZeroMatrixUsesTheRatioAsTarget() {
        // ||M||_2 = 0: the target mu muRatio * 0 is replaced by muRatio itself, and mu_0 = max(0, target)
        DMatrixRMaj m = new DMatrixRMaj(3, 4);
        Result<LowRankSparse> r = new StablePcp().solve(m, LowRankSparse.zeros(3, 4), SolverOptions.defaults());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.trace().lastValue(StablePcpState.MU)).isEqualTo(1e-5);
        assertThat(r.trace().lastValue(StablePcpState.OBJECTIVE)).isZero();
        assertThat(r.solution().low().data).containsOnly(0.0);
        // the residual test is not strict: 0 <= 0 stops at once
        Result<LowRankSparse> zero = new StablePcp(StablePcp.Options.defaults().withTolerance(0)).solve(m,
                LowRankSparse.zeros(3, 4), SolverOptions.defaults());
        assertThat(zero.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(zero.iterations()).isEqualTo(1);
    }

    @Test
    void theStateReportsItsIterateAndRollsBackOneStep() {
        DMatrixRMaj m = Reference.uniform(6, 5, -1, 1, 18);
        StablePcp pcp = new StablePcp(StablePcp.Options.defaults().withMu(0.5).withLambda(0.3));
        StablePcpState s = pcp.init(m, LowRankSparse.zeros(6, 5), SolverOptions.defaults());
        assertThat(s.isFinite()).isTrue();
        assertThat(s.converged()).isFalse();
        assertThat(s.mu()).isCloseTo(0.99 * Reference.singularValues(m)[0], within(1e-13));
        assertThat(s.traceColumns()).containsExactly(StablePcpState.OBJECTIVE, StablePcpState.RESIDUAL,
                StablePcpState.RANK, StablePcpState.SVD_RANK, StablePcpState.MU);
        pcp.step(m, s);
        pcp.step(m, s);
        DMatrixRMaj low = s.low().copy();
        DMatrixRMaj sparse = s.sparse().copy();
        assertThat(s.iteration()).isEqualTo(2);
        double[] row = new double[5];
        s.traceValues(row);
        assertThat(s.objectives()).containsExactly(row[0]);
        assertThat(s.mu()).isCloseTo(Math.max(0.9 * 0.9 * 0.99 * Reference.singularValues(m)[0], 0.5), within(1e-13));
        pcp.step(m, s);
        assertThat(s.low().data).isNotEqualTo(low.data);
        // the driver commits every finite step; the rollback restores the iterate before the last step
        s.commit();
        s.rollback();
        assertThat(s.low().data).isEqualTo(low.data);
        assertThat(s.sparse().data).isEqualTo(sparse.data);
        assertThat(s.solution().sparse().data).isEqualTo(sparse.data);
        assertThat(s.solution().low()).isNotSameAs(s.low());
    }

    @Test
    void aNonFiniteStartIsRejected() {
        DMatrixRMaj m = Reference.uniform(3, 3, -1, 1, 1);
        DMatrixRMaj bad = new DMatrixRMaj(3, 3);
        bad.set(1, 1, Double.NaN);
        // the driver's check of the start (not a failure inside the first step)
        assertThatThrownBy(() -> new StablePcp().solve(m, new LowRankSparse(bad, new DMatrixRMaj(3, 3)),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the start point has non-finite values");
        assertThatThrownBy(() -> new StablePcp().solve(m, new LowRankSparse(new DMatrixRMaj(3, 3), bad),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the start point has non-finite values");
        assertThat(new StablePcp().init(m, new LowRankSparse(bad, new DMatrixRMaj(3, 3)), SolverOptions.defaults())
                .isFinite()).isFalse();
        assertThat(new StablePcp().init(m, new LowRankSparse(new DMatrixRMaj(3, 3), bad), SolverOptions.defaults())
                .isFinite()).isFalse();
        DMatrixRMaj mBad = m.copy();
        mBad.set(0, 2, Double.NaN);
        assertThatThrownBy(() -> new StablePcp().init(mBad, LowRankSparse.zeros(3, 3), SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new StablePcp().init(m, LowRankSparse.zeros(2, 3), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreValidatedAndKept() {
        StablePcp.Options d = StablePcp.Options.defaults();
        assertThat(d).isEqualTo(new StablePcp.Options(OptionalDouble.empty(), OptionalDouble.empty(), 1e-5, 0.9, 1e-7,
                SvdPolicy.defaults()));
        assertThat(new StablePcp().options()).isEqualTo(d);
        assertThat(new StablePcp().name()).isEqualTo("StablePCP(APG)");
        // mu = sqrt(2 max(m, n)) sigma: sqrt(2 * 50) * 0.1 = 1
        assertThat(StablePcp.Options.forNoiseLevel(0.1, 50, 20).mu().getAsDouble()).isCloseTo(1, within(1e-15));
        assertThat(StablePcp.Options.forNoiseLevel(0.1, 20, 50).mu().getAsDouble()).isCloseTo(1, within(1e-15));
        assertThat(d.withLambda(0.2).lambda()).hasValue(0.2);
        assertThat(d.withMu(0.3).mu()).hasValue(0.3);
        assertThat(d.withTolerance(1e-3).tolerance()).isEqualTo(1e-3);
        assertThat(d.withSvd(SvdPolicy.alwaysFull()).svd()).isEqualTo(SvdPolicy.alwaysFull());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> d.withLambda(bad)).hasMessageContaining("lambda");
            assertThatThrownBy(() -> d.withMu(bad)).hasMessageContaining("mu");
            assertThatThrownBy(() -> new StablePcp.Options(OptionalDouble.empty(), OptionalDouble.empty(), bad, 0.9,
                    1e-7, SvdPolicy.defaults())).hasMessageContaining("muRatio");
        }
        for (double bad : new double[] {0, 1, -0.5, Double.NaN}) {
            assertThatThrownBy(() -> new StablePcp.Options(OptionalDouble.empty(), OptionalDouble.empty(), 1e-5, bad,
                    1e-7, SvdPolicy.defaults())).hasMessageContaining("eta");
        }
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> d.withTolerance(bad)).hasMessageContaining("tolerance");
        }
        assertThatThrownBy(() -> d.withSvd(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StablePcp(null)).isInstanceOf(NullPointerException.class);
        assertThat(d.withTolerance(0).tolerance()).isZero();
    }
}
