package org.bilevel4j.spark.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactorizationSweepJobTest {

    @TempDir
    Path dir;

    @Test
    void sparkEqualsSequentialEqualsBinnoAndATooLargeRankIsAnErrorRow() throws Exception {
        DMatrixRMaj m = SyntheticFactorization.generate(20, 12, 3, 0.5, 0.01, 4).observed();
        Path file = dir.resolve("m.npy");
        MatrixIO.write(file, m);
        FactorizationSweepJob job = new FactorizationSweepJob(file.toString(), 3);
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        axes.put("gamma1", List.of(0.001, 0.1));
        axes.put("rank", List.of(3.0, 13.0));
        axes.put("max_iter", List.of(40.0));
        List<Setting> settings = SweepGrid.grid(axes);
        SweepResult spark = Sweep.run(TestData.spark(), job, settings, List.of(3L));
        SweepResult seq = Sweep.runSequentially(job, settings, List.of(3L));
        assertThat(spark.rows()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            SweepRow a = spark.rows().get(i);
            SweepRow b = seq.rows().get(i);
            assertThat(a.error()).isEqualTo(b.error());
            Map<String, Double> ma = new LinkedHashMap<>(a.metrics());
            Map<String, Double> mb = new LinkedHashMap<>(b.metrics());
            ma.remove("solver_seconds");
            mb.remove("solver_seconds");
            assertThat(ma).isEqualTo(mb);
        }
        // rank 13 > min(20, 12): the run fails, the sweep goes on
        assertThat(spark.failures()).isEqualTo(2);
        assertThat(spark.rows().get(1).error()).contains("rank must be at most min(m, n) = 12");
        // the run is BINNO (midpoint) from the seed's uniform start, as factorize runs it
        SweepRow row = spark.rows().get(2);
        assertThat(row.setting().get("gamma1")).isEqualTo(0.1);
        BlockCompositeBilevelProblem p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, 3))
                .upper(new NormL1(0.005), new NormL1(0.005)).lower(new NuclearNorm(0.1), new NuclearNorm(0.005))
                .build();
        Result<BlockIterate> r = new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(3),
                SolverOptions.builder().maxIterations(40).seed(3).build(), IterationListener.none());
        assertThat(row.metric("psi1")).isEqualTo(r.trace().lastValue("psi1"));
        assertThat(row.metric("psi2")).isEqualTo(r.trace().lastValue("psi2"));
        assertThat(row.metric("rel_error")).isEqualTo(FactorizationMetrics.relativeErrorOfProduct(m,
                r.solution().x(), r.solution().y()));
        assertThat(row.iterations()).isEqualTo(40);
    }
}
