package org.bilevel4j.apps.factorization;

import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.problem.BlockIterate;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void run() {
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
        var s = SyntheticFactorization.paper(1);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(s.observed(), 5))
                .upper(new NormL1(0.005), new NormL1(0.005)).lower(new NuclearNorm(0.005), new NuclearNorm(0.005)).build();
        Result<BlockIterate> r = new Binno(w).solve(p, p.uniformStart(7), SolverOptions.builder().maxIterations(1000).build());
        var t = r.trace();
        double[] d1 = t.column("psi1_decreased");
        double[] d2 = t.column("psi2_decreased");
        int bad1 = 0, bad2 = 0;
        for (int i = 0; i < d1.length; i++) { if (d1[i] == 0) bad1++; if (d2[i] == 0) bad2++; }
        double rel = MatOps.distance(s.observed(), r.solution().product()) / Math.sqrt(MatOps.normSq(s.observed()));
        System.out.println(w.label() + " " + r.stopReason() + " psi1=" + t.lastValue("psi1") + " psi2=" + t.lastValue("psi2") + " alpha=" + t.lastValue("alpha")
            + " beta=" + t.lastValue("beta") + " bad1=" + bad1 + " bad2=" + bad2 + " rel=" + rel + " sec=" + r.seconds());
        }
    }
}
