package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
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
}
