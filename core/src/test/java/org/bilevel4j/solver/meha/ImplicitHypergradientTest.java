package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelGradientCheck;
import org.bilevel4j.problem.LowerHessianProducts;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ImplicitHypergradientTest {

    /** A strongly convex, non-quadratic lower level, with a non-quadratic upper level. */
    private static final QuadraticBilevel P = new QuadraticBilevel(3, 5, 0.2, 0.3, 0.8, 17);

    /** h(x) = F(x, y*(x)) with y*(x) re-solved to a gradient norm of 1e-13. */
    private static double hyperobjective(DMatrixRMaj x) {
        DMatrixRMaj y = new DMatrixRMaj(P.yRows(), 1);
        DMatrixRMaj g = new DMatrixRMaj(P.yRows(), 1);
        int k = ImplicitHypergradient.solveLower(P, x, y, g, 1 / P.lowerLipschitz(), 1_000_000, 1e-13);
        assertThat(k).isLessThan(1_000_000);
        return P.upperValue(x, y);
    }

    private static DMatrixRMaj lowerSolution(DMatrixRMaj x) {
        DMatrixRMaj y = new DMatrixRMaj(P.yRows(), 1);
        DMatrixRMaj g = new DMatrixRMaj(P.yRows(), 1);
        ImplicitHypergradient.solveLower(P, x, y, g, 1 / P.lowerLipschitz(), 1_000_000, 1e-13);
        return y;
    }

    @Test
    void gradientsOfTheTestProblemMatchFiniteDifferences() {
        PairIterate z = MehaTest.randomStart(P, 4);
        assertThat(BilevelGradientCheck.check(P, z.x(), z.y(), 6, 1, 1e-7, 1.0)).isEmpty();
    }

    @Test
    void finiteDifferenceHessianProductsMatchTheAnalyticOnes() {
        PairIterate z = MehaTest.randomStart(P, 8);
        SplittableRandom rnd = new SplittableRandom(2);
        LowerHessianProducts fd = new FiniteDifferenceHessianProducts(P);
        for (int k = 0; k < 5; k++) {
            DMatrixRMaj v = BilevelGradientCheck.unit(P.yRows(), 1, rnd);
            DMatrixRMaj a = new DMatrixRMaj(P.yRows(), 1);
            DMatrixRMaj b = new DMatrixRMaj(P.yRows(), 1);
            P.hessianYY(z.x(), z.y(), v, a);
            fd.hessianYY(z.x(), z.y(), v, b);
            assertThat(MatOps.distance(a, b)).isLessThan(1e-8);
            DMatrixRMaj c = new DMatrixRMaj(P.xRows(), 1);
            DMatrixRMaj d = new DMatrixRMaj(P.xRows(), 1);
            P.crossXY(z.x(), z.y(), v, c);
            fd.crossXY(z.x(), z.y(), v, d);
            assertThat(MatOps.distance(c, d)).isLessThan(1e-8);
        }
    }

    @Test
    void hypergradientMatchesACentralDifferenceOfTheResolvedLowerProblem() {
        DMatrixRMaj x = MehaTest.randomStart(P, 21).x();
        DMatrixRMaj y = lowerSolution(x);
        double h = 1e-5;
        DMatrixRMaj numeric = new DMatrixRMaj(P.xRows(), 1);
        for (int i = 0; i < P.xRows(); i++) {
            DMatrixRMaj xp = x.copy();
            DMatrixRMaj xm = x.copy();
            xp.data[i] += h;
            xm.data[i] -= h;
            numeric.data[i] = (hyperobjective(xp) - hyperobjective(xm)) / (2 * h);
        }
        for (LowerHessianProducts hp : new LowerHessianProducts[] {P, new FiniteDifferenceHessianProducts(P)}) {
            DMatrixRMaj out = new DMatrixRMaj(P.xRows(), 1);
            ConjugateGradient.Outcome cg = ImplicitHypergradient.hypergradient(P, hp, x, y,
                    new DMatrixRMaj(P.yRows(), 1), 100, 1e-12, out);
            assertThat(cg.converged()).isTrue();
            for (int i = 0; i < P.xRows(); i++) {
                assertThat(out.data[i]).as("coordinate %d with %s", i, hp.getClass().getSimpleName())
                        .isCloseTo(numeric.data[i], within(1e-7 * Math.max(1, Math.abs(numeric.data[i]))));
            }
        }
    }

    @Test
    void reachesTheKnownSolution() {
        QuadraticBilevel q = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        ImplicitHypergradientOptions o = new ImplicitHypergradientOptions(0.5, 1 / q.lowerLipschitz(), 10_000,
                1e-12, 50, 1e-12);
        Result<PairIterate> r = new ImplicitHypergradient(o).solve(q, PairIterate.constant(q, 0, 0),
                SolverOptions.builder().maxIterations(300).build());
        assertThat(r.trace().lastValue("x_rel_err")).isLessThan(1e-7);
        assertThat(r.trace().lastValue("y_rel_err")).isLessThan(1e-7);
    }

    @Test
    void rejectsANonsmoothOrConstrainedLowerLevel() {
        L1CoupledProblem p = new L1CoupledProblem(new QuadraticBilevel(3, 5, 0.2, 0, 0, 7), 0.05, 0.9);
        ImplicitHypergradientOptions o = new ImplicitHypergradientOptions(0.5, 0.1, 10, 1e-8, 10, 1e-8);
        assertThatThrownBy(() -> new ImplicitHypergradient(o).init(p, PairIterate.constant(p, 0, 0),
                SolverOptions.defaults())).hasMessageContaining("smooth, unconstrained lower level");
    }
}
