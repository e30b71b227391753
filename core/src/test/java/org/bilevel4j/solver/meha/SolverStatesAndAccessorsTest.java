package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The states of {@link Bome} and {@link ImplicitHypergradient} (values, finiteness, rollback), the
 * solvers' option accessors and the zero-direction case of {@link FiniteDifferenceHessianProducts}:
 * each value against the problem evaluated by hand.
 */
class SolverStatesAndAccessorsTest {

    private static final QuadraticBilevel P = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);

    @Test
    void solversReturnTheirOptionsAndThePaperSettingsOfBomeAreAsDocumented() {
        MehaOptions m = MehaOptions.paper();
        assertThat(new Meha(m).options()).isSameAs(m);
        ImplicitHypergradientOptions i = new ImplicitHypergradientOptions(0.5, 0.1, 10, 1e-8, 10, 1e-8);
        assertThat(new ImplicitHypergradient(i).options()).isSameAs(i);
        // T = 10, eta = 0.5, inner and outer steps 0.5
        assertThat(BomeOptions.paper()).isEqualTo(new BomeOptions(10, 0.5, 0.5, 0.5, 0.5));
    }

    @Test
    void bomeStateHoldsTheValuesAtItsPointAndRollbackRecomputesThem() {
        Bome bome = new Bome(BomeOptions.of(3, 1 / P.lowerLipschitz(), 0.05, 0.5));
        PairIterate start = PairIterate.constant(P, 0.5, 0.25);
        BomeState s = bome.init(P, start, SolverOptions.defaults());
        double f0 = P.upperValue(start.x(), start.y());
        double phi0 = P.lowerValue(start.x(), start.y());
        assertThat(s.upperValue()).isEqualTo(f0);
        assertThat(s.lowerValue()).isEqualTo(phi0);
        assertThat(s.objectives()).containsExactly(f0, phi0);
        assertThat(s.objectiveNames()).containsExactly("F", "phi");
        s.commit();
        // q = phi(x, y) - phi(x, y_T), y_T from T = 3 gradient steps of size 1/L on phi(x, .)
        DMatrixRMaj yT = start.y().copy();
        DMatrixRMaj g = new DMatrixRMaj(P.yRows(), 1);
        for (int k = 0; k < 3; k++) {
            P.lowerSmoothGradientY(start.x(), yT, g);
            MatOps.combine(1.0, yT, -1 / P.lowerLipschitz(), g, yT);
        }
        double q = phi0 - P.lowerValue(start.x(), yT);
        bome.step(P, s);
        assertThat(q).isPositive();
        assertThat(s.q).isCloseTo(q, within(1e-13 * phi0));
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.upperValue()).isEqualTo(P.upperValue(s.x(), s.y())).isNotEqualTo(f0);
        assertThat(s.lowerValue()).isEqualTo(P.lowerValue(s.x(), s.y())).isNotEqualTo(phi0);
        s.rollback();
        assertThat(s.x().data).containsExactly(start.x().data);
        assertThat(s.y().data).containsExactly(start.y().data);
        assertThat(s.upperValue()).isEqualTo(f0);
        assertThat(s.lowerValue()).isEqualTo(phi0);
        assertThat(s.isFinite()).isTrue();
        s.upperValue = Double.POSITIVE_INFINITY;
        assertThat(s.isFinite()).as("F infinite").isFalse();
        s.upperValue = f0;
        s.lowerValue = Double.NaN;
        assertThat(s.isFinite()).as("phi NaN").isFalse();
        s.lowerValue = phi0;
        s.x().data[0] = Double.NaN;
        assertThat(s.isFinite()).as("x NaN").isFalse();
    }

    @Test
    void implicitStateHoldsTheHypergradientOfItsStepAndRollbackRecomputesF() {
        ImplicitHypergradientOptions o = new ImplicitHypergradientOptions(0.5, 1 / P.lowerLipschitz(), 10_000,
                1e-12, 50, 1e-12);
        ImplicitHypergradient solver = new ImplicitHypergradient(o);
        PairIterate start = PairIterate.constant(P, 0.5, 0.25);
        ImplicitHypergradientState s = solver.init(P, start, SolverOptions.defaults());
        double f0 = P.upperValue(start.x(), start.y());
        assertThat(s.upperValue()).isEqualTo(f0);
        assertThat(s.objectives()).containsExactly(f0);
        s.commit();
        solver.step(P, s);
        assertThat(s.iteration()).isEqualTo(1);
        // x+ = x - outerStep h with h the stored hypergradient (X is the whole space here)
        DMatrixRMaj h = s.hypergradient();
        assertThat(MatOps.normSq(h)).isPositive();
        for (int i = 0; i < h.getNumElements(); i++) {
            assertThat(s.x().data[i]).isCloseTo(0.5 - o.outerStep() * h.data[i], within(1e-15));
        }
        // h is the implicit hypergradient at (x, y) with y the solved lower level (CG to 1e-12)
        DMatrixRMaj expected = new DMatrixRMaj(P.xRows(), 1);
        ImplicitHypergradient.hypergradient(P, P, start.x(), s.y(), new DMatrixRMaj(P.yRows(), 1), 50, 1e-12,
                expected);
        assertThat(MatOps.distance(h, expected)).isLessThan(1e-9 * Math.sqrt(MatOps.normSq(expected)));
        assertThat(s.upperValue()).isEqualTo(P.upperValue(s.x(), s.y())).isNotEqualTo(f0);
        s.rollback();
        assertThat(s.x().data).containsExactly(start.x().data);
        assertThat(s.upperValue()).isEqualTo(f0);
        assertThat(s.isFinite()).isTrue();
        s.upperValue = Double.NaN;
        assertThat(s.isFinite()).as("F NaN").isFalse();
        s.upperValue = f0;
        s.y().data[2] = Double.NEGATIVE_INFINITY;
        assertThat(s.isFinite()).as("y infinite").isFalse();
    }

    @Test
    void namesAndObjectiveNamesAreAsDocumented() {
        assertThat(new Meha(MehaOptions.paper()).name()).isEqualTo("MEHA");
        assertThat(new ImplicitHypergradient(new ImplicitHypergradientOptions(0.5, 0.1, 10, 1e-8, 10, 1e-8)).name())
                .isEqualTo("implicit-CG");
        MehaState s = new Meha(MehaOptions.paper()).init(P, PairIterate.constant(P, 0.5, 0.25),
                SolverOptions.defaults());
        assertThat(s.objectiveNames()).containsExactly("F", "phi");
    }

    /** solveLower takes plain gradient steps y <- y - step grad_y f until ||grad_y f|| <= tolerance or the limit. */
    @Test
    void solveLowerCountsItsGradientStepsAndStopsAtTheLimitOrTheTolerance() {
        PairIterate z = PairIterate.constant(P, 0.5, 0.25);
        double step = 1 / P.lowerLipschitz();
        DMatrixRMaj y = z.y().copy();
        DMatrixRMaj gy = new DMatrixRMaj(P.yRows(), 1);
        DMatrixRMaj expected = z.y().copy();
        DMatrixRMaj g = new DMatrixRMaj(P.yRows(), 1);
        for (int k = 0; k < 3; k++) {
            P.lowerSmoothGradientY(z.x(), expected, g);
            MatOps.combine(1.0, expected, -step, g, expected);
        }
        assertThat(ImplicitHypergradient.solveLower(P, z.x(), y, gy, step, 3, 0.0)).isEqualTo(3);
        assertThat(MatOps.distance(y, expected)).isZero();
        P.lowerSmoothGradientY(z.x(), expected, g);
        assertThat(gy.data).containsExactly(g.data);
        // already below the tolerance: no step
        double norm = Math.sqrt(MatOps.normSq(gy));
        assertThat(ImplicitHypergradient.solveLower(P, z.x(), y, gy, step, 3, norm)).isZero();
        assertThat(MatOps.distance(y, expected)).isZero();
    }

    /** Analytic products when the problem has them, central differences otherwise; the static entry point checks the problem too. */
    @Test
    void hessianProductsComeFromTheProblemWhenItHasThemAndTheHypergradientNeedsASmoothLowerLevel() {
        assertThat(ImplicitHypergradient.hessianProductsOf(P)).isSameAs(P);
        L1CoupledProblem nonsmooth = new L1CoupledProblem(new QuadraticBilevel(3, 5, 0.2, 0, 0, 7), 0.05, 0.9);
        assertThat(ImplicitHypergradient.hessianProductsOf(nonsmooth)).isInstanceOf(FiniteDifferenceHessianProducts.class);
        PairIterate z = PairIterate.constant(nonsmooth, 0.1, 0.1);
        assertThatThrownBy(() -> ImplicitHypergradient.hypergradient(nonsmooth, ImplicitHypergradient.hessianProductsOf(
                nonsmooth), z.x(), z.y(), new DMatrixRMaj(5, 1), 10, 1e-8, new DMatrixRMaj(3, 1)))
                .hasMessageContaining("smooth, unconstrained lower level");
    }

    /** Steps must be positive (0 is rejected), tolerances nonnegative (0 is accepted). */
    @Test
    void optionBoundsAtZero() {
        assertThatThrownBy(() -> new ImplicitHypergradientOptions(0.0, 0.1, 10, 1e-8, 10, 1e-8))
                .hasMessage("outerStep must be finite and positive, got 0.0");
        ImplicitHypergradientOptions exact = new ImplicitHypergradientOptions(0.5, 0.1, 10, 0.0, 10, 0.0);
        assertThat(exact.innerTolerance()).isZero();
        assertThat(exact.cgTolerance()).isZero();
        assertThatThrownBy(() -> new BomeOptions(1, 0.0, 0.1, 0.1, 0.5))
                .hasMessage("innerStep must be finite and positive, got 0.0");
    }

    /** With long steps the x update leaves X = [-1, 1]^n: BOME and MEHA project it back onto the box. */
    @Test
    void longStepsAreProjectedOntoTheSetOfX() {
        L1CoupledProblem p = new L1CoupledProblem(new QuadraticBilevel(3, 5, 0.2, 0.3, 0.4, 7), 0.6, 0.3);
        PairIterate start = PairIterate.constant(p, 0.9, 0.2);
        Bome bome = new Bome(new BomeOptions(3, 0.15, 1e3, 0.07, 0.5));
        BomeState b = bome.init(p, start, SolverOptions.defaults());
        bome.step(p, b);
        assertThat(maxAbs(b.x())).isEqualTo(1.0);
        Meha meha = new Meha(MehaOptions.builder().gamma(1).eta(0.1).beta(0.1).alpha(1e3).build());
        MehaState m = meha.init(p, start, SolverOptions.defaults());
        meha.step(p, m);
        assertThat(maxAbs(m.x())).isEqualTo(1.0);
    }

    private static double maxAbs(DMatrixRMaj m) {
        double r = 0;
        for (double v : m.data) {
            r = Math.max(r, Math.abs(v));
        }
        return r;
    }

    /** Along the zero direction the product is 0: the output buffer is cleared, not left as it was. */
    @Test
    void finiteDifferenceProductsAlongZeroAreZero() {
        FiniteDifferenceHessianProducts fd = new FiniteDifferenceHessianProducts(P);
        PairIterate z = PairIterate.constant(P, 0.5, 0.25);
        DMatrixRMaj outY = new DMatrixRMaj(P.yRows(), 1);
        outY.fill(7);
        fd.hessianYY(z.x(), z.y(), new DMatrixRMaj(P.yRows(), 1), outY);
        assertThat(outY.data).containsOnly(0.0);
        DMatrixRMaj outX = new DMatrixRMaj(P.xRows(), 1);
        outX.fill(7);
        fd.crossXY(z.x(), z.y(), new DMatrixRMaj(P.yRows(), 1), outX);
        assertThat(outX.data).containsOnly(0.0);
    }
}
