package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class ConjugateGradientTest {

    @Test
    void solvesASymmetricPositiveDefiniteSystemInAtMostNPlusOneProducts() {
        int n = 12;
        SplittableRandom rnd = new SplittableRandom(5);
        DMatrixRMaj r = new DMatrixRMaj(n, n);
        for (int i = 0; i < r.getNumElements(); i++) {
            r.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(r, r, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, 0.5);
        }
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            b.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj q = new DMatrixRMaj(n, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve((v, out) -> CommonOps_DDRM.mult(a, v, out), b, q,
                200, 1e-12);
        assertThat(o.converged()).isTrue();
        assertThat(o.iterations()).isLessThanOrEqualTo(3 * n);
        DMatrixRMaj exact = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.solve(a, b, exact);
        assertThat(MatOps.distance(q, exact)).isLessThan(1e-9);
    }

    @Test
    void zeroRightHandSideGivesZero() {
        DMatrixRMaj q = new DMatrixRMaj(3, 1);
        q.fill(1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve((v, out) -> out.setTo(v), new DMatrixRMaj(3, 1), q, 5,
                1e-10);
        assertThat(o.converged()).isTrue();
        assertThat(q.data).containsOnly(0.0);
    }

    private static DMatrixRMaj col(double... v) {
        DMatrixRMaj m = new DMatrixRMaj(v.length, 1);
        System.arraycopy(v, 0, m.data, 0, v.length);
        return m;
    }

    private static ConjugateGradient.Operator diag(double... d) {
        return (v, out) -> {
            for (int i = 0; i < d.length; i++) {
                out.data[i] = d[i] * v.data[i];
            }
        };
    }

    /** In exact arithmetic CG ends after as many steps as H has distinct eigenvalues (plus the first product). */
    @Test
    void threeDistinctEigenvaluesTakeThreeStepsAndGiveTheExactSolution() {
        DMatrixRMaj b = col(1, -2, 3, 0.5, -1);
        DMatrixRMaj q = new DMatrixRMaj(5, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve(diag(1, 1, 2, 2, 4), b, q, 50, 1e-13);
        assertThat(o.converged()).isTrue();
        assertThat(o.iterations()).isEqualTo(4);
        assertThat(o.relativeResidual()).isLessThan(1e-13);
        assertThat(MatOps.distance(q, col(1, -2, 1.5, 0.25, -0.25))).isLessThan(1e-14);
    }

    @Test
    void oneStepOnTheIdentityFromZero() {
        // r0 = b, p0 = b, a = 1: q = b after one step, the residual 0
        DMatrixRMaj b = col(3, 4);
        DMatrixRMaj q = new DMatrixRMaj(2, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve(diag(1, 1), b, q, 10, 0.0);
        assertThat(o).isEqualTo(new ConjugateGradient.Outcome(2, 0.0, true));
        assertThat(q.data).containsExactly(3, 4);
    }

    @Test
    void aWarmStartAtTheSolutionUsesOneProduct() {
        DMatrixRMaj q = col(1, 2);
        ConjugateGradient.Outcome o = ConjugateGradient.solve(diag(2, 3), col(2, 6), q, 10, 0.0);
        assertThat(o).isEqualTo(new ConjugateGradient.Outcome(1, 0.0, true));
        assertThat(q.data).containsExactly(1, 2);
    }

    @Test
    void theBudgetAndTheToleranceAreHonouredExactly() {
        // one product: only the residual of the start, ||b - H 0|| / ||b|| = 1
        DMatrixRMaj q = new DMatrixRMaj(2, 1);
        assertThat(ConjugateGradient.solve(diag(2, 3), col(3, 4), q, 1, 0.5))
                .isEqualTo(new ConjugateGradient.Outcome(1, 1.0, false));
        // a relative residual equal to the tolerance meets it
        assertThat(ConjugateGradient.solve(diag(2, 3), col(3, 4), new DMatrixRMaj(2, 1), 1, 1.0))
                .isEqualTo(new ConjugateGradient.Outcome(1, 1.0, true));
        // a warm start already within the tolerance relative to ||b|| = 5 stops before any step, whatever
        // the budget: H = diag(1, 2), b = (3, 4), q0 = (1.5, 1), r0 = (1.5, 2), ||r0|| = 2.5 = 0.5 ||b||
        DMatrixRMaj warm = col(1.5, 1);
        assertThat(ConjugateGradient.solve(diag(1, 2), col(3, 4), warm, 10, 0.6))
                .isEqualTo(new ConjugateGradient.Outcome(1, 0.5, true));
        assertThat(warm.data).containsExactly(1.5, 1);
        // H = diag(1, 2), b = (1, 1), q0 = 0: one step, a = 2/3, q = (2/3, 2/3), r = (1/3, -1/3)
        DMatrixRMaj q2 = new DMatrixRMaj(2, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve(diag(1, 2), col(1, 1), q2, 2, 0.0);
        assertThat(o.iterations()).isEqualTo(2);
        assertThat(o.converged()).isFalse();
        assertThat(o.relativeResidual()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(q2.data[0]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(q2.data[1]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        // the third product finishes it: the second direction r1 + (||r1||^2 / ||r0||^2) p0
        ConjugateGradient.Outcome o3 = ConjugateGradient.solve(diag(1, 2), col(1, 1), new DMatrixRMaj(2, 1), 3,
                1e-15);
        assertThat(o3.iterations()).isEqualTo(3);
        assertThat(o3.converged()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConjugateGradient.solve(diag(1), col(1),
                new DMatrixRMaj(1, 1), 0, 0.1)).hasMessageContaining("maxIterations");
    }

    @Test
    void aNonpositiveCurvatureStopsTheSolve() {
        // H = -I: <p, H p> < 0 at the first direction; the start is kept
        DMatrixRMaj q = new DMatrixRMaj(2, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve(diag(-1, -1), col(3, 4), q, 10, 1e-10);
        assertThat(o).isEqualTo(new ConjugateGradient.Outcome(2, 1.0, false));
        assertThat(q.data).containsExactly(0, 0);
        // H = 0: zero curvature stops it too
        assertThat(ConjugateGradient.solve(diag(0, 0), col(3, 4), new DMatrixRMaj(2, 1), 10, 1e-10))
                .isEqualTo(new ConjugateGradient.Outcome(2, 1.0, false));
    }
}
