package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class BomeTest {

    /** One BOME iteration written out with plain arrays (smooth, unconstrained lower level). */
    @Test
    void oneIterationIsTheDynamicBarrierStepWithAValueFunctionFromTInnerSteps() {
        QuadraticBilevel p = new QuadraticBilevel(3, 4, 0.2, 0.3, 0.4, 11);
        PairIterate start = MehaTest.randomStart(p, 3);
        BomeOptions o = new BomeOptions(4, 0.2, 0.05, 0.07, 0.5);
        double[] x = start.x().data.clone();
        double[] y = start.y().data.clone();
        double[] yt = y.clone();
        for (int t = 0; t < o.innerSteps(); t++) {
            double[] g = MehaTest.grad(p, "fy", x, yt);
            for (int i = 0; i < yt.length; i++) {
                yt[i] -= o.innerStep() * g[i];
            }
        }
        double[] qx = MehaTest.minus(MehaTest.grad(p, "fx", x, y), MehaTest.grad(p, "fx", x, yt));
        double[] qy = MehaTest.grad(p, "fy", x, y);
        double[] fx = MehaTest.grad(p, "Fx", x, y);
        double[] fy = MehaTest.grad(p, "Fy", x, y);
        double dot = 0;
        double nq = 0;
        for (int i = 0; i < x.length; i++) {
            dot += fx[i] * qx[i];
            nq += qx[i] * qx[i];
        }
        for (int i = 0; i < y.length; i++) {
            dot += fy[i] * qy[i];
            nq += qy[i] * qy[i];
        }
        double lambda = Math.max((o.eta() * nq - dot) / nq, 0);
        Bome bome = new Bome(o);
        BomeState s = bome.init(p, start, SolverOptions.defaults());
        bome.step(p, s);
        for (int i = 0; i < x.length; i++) {
            assertThat(s.x().data[i]).isCloseTo(x[i] - o.stepX() * (fx[i] + lambda * qx[i]), within(1e-13));
        }
        for (int i = 0; i < y.length; i++) {
            assertThat(s.y().data[i]).isCloseTo(y[i] - o.stepY() * (fy[i] + lambda * qy[i]), within(1e-13));
        }
        assertThat(s.lambda).isCloseTo(lambda, within(1e-13));
    }

    @Test
    void approachesTheKnownSolutionOfAStronglyConvexLowerLevel() {
        // BOME with a fixed step keeps a small bias here (about 2 %); MEHA and the implicit
        // hypergradient get closer on the same problem.
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        Result<PairIterate> r = new Bome(BomeOptions.of(10, 1 / p.lowerLipschitz(), 0.05, 0.5)).solve(p,
                PairIterate.constant(p, 0, 0), SolverOptions.builder().maxIterations(5000).build());
        assertThat(r.trace().lastValue("x_rel_err")).isLessThan(3e-2);
        assertThat(r.trace().lastValue("y_rel_err")).isLessThan(3e-2);
        assertThat(r.trace().columns()).contains("F", "phi", "q", "lambda", "grad_q_norm");
    }

    /**
     * With a nonsmooth lower level and sets: y_T from proximal-gradient steps, the x part of grad q with
     * the nonsmooth term's x-gradient at y and at y_T, the y part the proximal-gradient mapping, then the
     * projected step; q, phi and the trace columns from the same numbers.
     */
    @Test
    void oneIterationWithANonsmoothLowerLevelAndSetsFollowsTheFormulas() {
        L1CoupledProblem p = new L1CoupledProblem(new QuadraticBilevel(3, 5, 0.2, 0.3, 0.4, 7), 0.6, 0.3);
        PairIterate start = PairIterate.constant(p, 0.5, 0.2);
        BomeOptions o = new BomeOptions(3, 0.15, 0.05, 0.07, 0.5);
        DMatrixRMaj x = start.x().copy();
        DMatrixRMaj y = start.y().copy();
        DMatrixRMaj yt = y.copy();
        DMatrixRMaj g = new DMatrixRMaj(y.numRows, 1);
        DMatrixRMaj w = new DMatrixRMaj(y.numRows, 1);
        for (int t = 0; t < 3; t++) {
            p.lowerSmoothGradientY(x, yt, g);
            for (int i = 0; i < w.data.length; i++) {
                w.data[i] = yt.data[i] - 0.15 * g.data[i];
            }
            p.lowerProx(x, w, 0.15, yt);
        }
        double q = p.lowerValue(x, y) - p.lowerValue(x, yt);
        DMatrixRMaj a = new DMatrixRMaj(x.numRows, 1);
        DMatrixRMaj bb = new DMatrixRMaj(x.numRows, 1);
        double[] qx = new double[x.numRows];
        p.lowerSmoothGradientX(x, y, a);
        p.lowerSmoothGradientX(x, yt, bb);
        for (int i = 0; i < qx.length; i++) {
            qx[i] = a.data[i] - bb.data[i];
        }
        p.lowerNonsmoothGradientX(x, y, a);
        p.lowerNonsmoothGradientX(x, yt, bb);
        for (int i = 0; i < qx.length; i++) {
            qx[i] += a.data[i] - bb.data[i];
        }
        p.lowerSmoothGradientY(x, y, g);
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = y.data[i] - 0.15 * g.data[i];
        }
        DMatrixRMaj pr = new DMatrixRMaj(y.numRows, 1);
        p.lowerProx(x, w, 0.15, pr);
        double[] qy = new double[y.numRows];
        for (int i = 0; i < qy.length; i++) {
            qy[i] = (y.data[i] - pr.data[i]) / 0.15;
        }
        DMatrixRMaj fx = new DMatrixRMaj(x.numRows, 1);
        DMatrixRMaj fy = new DMatrixRMaj(y.numRows, 1);
        p.upperGradientX(x, y, fx);
        p.upperGradientY(x, y, fy);
        double dot = 0;
        double nq = 0;
        for (int i = 0; i < qx.length; i++) {
            dot += fx.data[i] * qx[i];
            nq += qx[i] * qx[i];
        }
        for (int i = 0; i < qy.length; i++) {
            dot += fy.data[i] * qy[i];
            nq += qy[i] * qy[i];
        }
        double lambda = Math.max((0.5 * nq - dot) / nq, 0);
        DMatrixRMaj xn = x.copy();
        DMatrixRMaj yn = y.copy();
        for (int i = 0; i < qx.length; i++) {
            xn.data[i] -= 0.05 * (fx.data[i] + lambda * qx[i]);
        }
        for (int i = 0; i < qy.length; i++) {
            yn.data[i] -= 0.07 * (fy.data[i] + lambda * qy[i]);
        }
        p.projectX(xn, xn);
        p.projectY(yn, yn);

        Bome bome = new Bome(o);
        assertThat(bome.options()).isSameAs(o);
        assertThat(bome.name()).isEqualTo("BOME");
        BomeState s = bome.init(p, start, SolverOptions.defaults());
        bome.step(p, s);
        assertThat(q).isPositive();
        assertThat(s.q).isCloseTo(q, within(1e-13));
        assertThat(s.lambda).isCloseTo(lambda, within(1e-12));
        assertThat(s.gradQNorm).isCloseTo(Math.sqrt(nq), within(1e-12));
        assertThat(MatOps.distance(s.x(), xn)).isLessThan(1e-13);
        assertThat(MatOps.distance(s.y(), yn)).isLessThan(1e-13);
        assertThat(s.iteration()).isEqualTo(1);
        double[] out = new double[s.traceColumns().size()];
        s.traceValues(out);
        assertThat(s.traceColumns().subList(0, 5)).containsExactly("F", "phi", "q", "lambda", "grad_q_norm");
        assertThat(out[0]).isCloseTo(p.upperValue(xn, yn), within(1e-12));
        assertThat(out[1]).isCloseTo(p.lowerValue(xn, yn), within(1e-12));
        assertThat(out[2]).isCloseTo(q, within(1e-13));
        assertThat(out[3]).isCloseTo(lambda, within(1e-12));
        assertThat(out[4]).isCloseTo(Math.sqrt(nq), within(1e-12));
    }
}
