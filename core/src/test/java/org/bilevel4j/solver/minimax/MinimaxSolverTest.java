package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.SaddlePoint;
import org.bilevel4j.problem.SaddleProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class MinimaxSolverTest {

    /** phi(u, v) = 1/2 u^T A u + u^T B v - 1/2 v^T C v + a^T u + c^T v. */
    static final class QuadraticSaddle implements SaddleProblem {
        final DMatrixRMaj a;
        final DMatrixRMaj b;
        final DMatrixRMaj c;
        final DMatrixRMaj la;
        final DMatrixRMaj lc;
        final Box ud;
        final Box vd;

        QuadraticSaddle(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, double[] la, double[] lc, Box ud, Box vd) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.la = DMatrixRMaj.wrap(la.length, 1, la);
            this.lc = DMatrixRMaj.wrap(lc.length, 1, lc);
            this.ud = ud;
            this.vd = vd;
        }

        @Override
        public Box uDomain() {
            return ud;
        }

        @Override
        public Box vDomain() {
            return vd;
        }

        @Override
        public double value(DMatrixRMaj u, DMatrixRMaj v) {
            DMatrixRMaj au = new DMatrixRMaj(u.numRows, 1);
            DMatrixRMaj bv = new DMatrixRMaj(u.numRows, 1);
            DMatrixRMaj cv = new DMatrixRMaj(v.numRows, 1);
            CommonOps_DDRM.mult(a, u, au);
            CommonOps_DDRM.mult(b, v, bv);
            CommonOps_DDRM.mult(c, v, cv);
            return 0.5 * CommonOps_DDRM.dot(u, au) + CommonOps_DDRM.dot(u, bv) - 0.5 * CommonOps_DDRM.dot(v, cv)
                    + CommonOps_DDRM.dot(la, u) + CommonOps_DDRM.dot(lc, v);
        }

        @Override
        public void gradient(DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj gu, DMatrixRMaj gv) {
            DMatrixRMaj t = new DMatrixRMaj(u.numRows, 1);
            CommonOps_DDRM.mult(a, u, gu);
            CommonOps_DDRM.mult(b, v, t);
            CommonOps_DDRM.addEquals(gu, t);
            CommonOps_DDRM.addEquals(gu, la);
            DMatrixRMaj s = new DMatrixRMaj(v.numRows, 1);
            CommonOps_DDRM.multTransA(b, u, gv);
            CommonOps_DDRM.mult(c, v, s);
            CommonOps_DDRM.subtractEquals(gv, s);
            CommonOps_DDRM.addEquals(gv, lc);
        }

        /** Solves A u + B v = -a, B^T u - C v = -c. */
        double[] saddle() {
            int n = a.numRows;
            int m = c.numRows;
            DMatrixRMaj k = new DMatrixRMaj(n + m, n + m);
            DMatrixRMaj r = new DMatrixRMaj(n + m, 1);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    k.set(i, j, a.get(i, j));
                }
                for (int j = 0; j < m; j++) {
                    k.set(i, n + j, b.get(i, j));
                    k.set(n + j, i, b.get(i, j));
                }
                r.data[i] = -la.data[i];
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    k.set(n + i, n + j, -c.get(i, j));
                }
                r.data[n + i] = -lc.data[i];
            }
            DMatrixRMaj x = new DMatrixRMaj(n + m, 1);
            assertThat(CommonOps_DDRM.solve(k, r, x)).isTrue();
            return x.data;
        }
    }

    /** Curvatures 1 to 1000 in u and 1 to 500 in v: one global step would be set by the stiffest. */
    static QuadraticSaddle badlyScaled() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 0.2, 0}, {0.2, 100, 3}, {0, 3, 1000}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{1, -0.5}, {2, 1}, {-1, 4}});
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{1, 0.1}, {0.1, 500}});
        return new QuadraticSaddle(a, b, c, new double[] {-2, 30, -200}, new double[] {1, -100},
                Box.cube(3, -10, 10), Box.cube(2, -10, 10));
    }

    @Test
    void extragradientFindsTheSaddleOfAStronglyConvexConcaveQuadraticAtALinearRate() {
        QuadraticSaddle q = badlyScaled();
        double[] star = q.saddle();
        for (double x : star) {
            assertThat(Math.abs(x)).isLessThan(10); // interior, so the linear system is the saddle
        }
        MinimaxSolver eg = MinimaxSolver.builder().mode(MinimaxSolver.Mode.EXTRAGRADIENT).tolerance(1e-10)
                .jacobianRefresh(0).build();
        Result<SaddlePoint> r = eg.solve(q, SaddlePoint.of(new double[3], new double[2]),
                SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        double[] u = r.solution().u().data;
        double[] v = r.solution().v().data;
        for (int i = 0; i < 3; i++) {
            assertThat(u[i]).isCloseTo(star[i], within(1e-9));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(v[i]).isCloseTo(star[3 + i], within(1e-9));
        }
        // per-coordinate steps: a few hundred iterations although the curvatures span a factor 1000
        assertThat(r.iterations()).isLessThan(1000);
        // the residual falls at a linear rate: compare it at a third and at two thirds of the run
        double[] res = r.trace().column("res_u");
        double[] resV = r.trace().column("res_v");
        int n = res.length;
        double early = Math.hypot(res[n / 3], resV[n / 3]);
        double late = Math.hypot(res[2 * n / 3], resV[2 * n / 3]);
        double last = Math.hypot(res[n - 1], resV[n - 1]);
        assertThat(last).isLessThanOrEqualTo(1e-10);
        assertThat(late / early).isLessThan(1e-2);
        // 1 + 5 evaluations for the finite-difference Jacobian, 1 at the start, 2 per iteration
        assertThat(r.trace().lastValue("grad_calls")).isEqualTo(2.0 * r.iterations() + 7);
    }

    @Test
    void extragradientHandlesAnActiveBox() {
        // phi = 1/2 u^2 - 5 u + u v - 1/2 v^2 on u in [-1, 1]: max over v gives u^2 - 5 u, smallest at u = 1
        DMatrixRMaj one = new DMatrixRMaj(new double[][] {{1}});
        QuadraticSaddle q = new QuadraticSaddle(one, one, one, new double[] {-5}, new double[] {0},
                Box.cube(1, -1, 1), Box.cube(1, -10, 10));
        Result<SaddlePoint> r = MinimaxSolver.extragradient(1e-12).solve(q, SaddlePoint.of(new double[1],
                new double[1]), SolverOptions.builder().maxIterations(10_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().u().data[0]).isEqualTo(1.0);
        assertThat(r.solution().v().data[0]).isCloseTo(1.0, within(1e-11));
    }

    @Test
    void proximalPointSolvesANonconvexConcaveProblem() {
        // phi = -u^2 + 2 u v - v^2 / 2 + u: concave in u, yet max_v phi = u^2 + u, smallest at u = -1/2, v = -1
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{-2}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{2}});
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{1}});
        QuadraticSaddle q = new QuadraticSaddle(a, b, c, new double[] {1}, new double[] {0}, Box.cube(1, -5, 5),
                Box.cube(1, -5, 5));
        double eps = 1e-6;
        Result<SaddlePoint> r = MinimaxSolver.proximalPoint(eps).solve(q,
                SaddlePoint.of(new double[] {3}, new double[] {0}),
                SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().u().data[0]).isCloseTo(-0.5, within(10 * eps));
        assertThat(r.solution().v().data[0]).isCloseTo(-1.0, within(10 * eps));
        assertThat(r.trace().lastValue("step")).isLessThanOrEqualTo(eps / 4);
        assertThat(r.trace().lastValue("res_u")).isLessThan(eps);
    }

    @Test
    void badConfigurationsAndStartsAreRejected() {
        assertThatThrownBy(() -> MinimaxSolver.extragradient(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> MinimaxSolver.proximalPoint(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MinimaxSolver.builder().stepScale(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        QuadraticSaddle q = badlyScaled();
        assertThatThrownBy(() -> MinimaxSolver.extragradient(1e-6).solve(q,
                SaddlePoint.of(new double[2], new double[2]), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries");
        assertThatThrownBy(() -> MinimaxSolver.extragradient(1e-6).solve(q,
                SaddlePoint.of(new double[] {0, Double.NaN, 0}, new double[2]), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
    }
}
