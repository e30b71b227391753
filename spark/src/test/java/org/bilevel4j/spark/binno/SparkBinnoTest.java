package org.bilevel4j.spark.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.spark.SparkSessions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The check of issue 9: distributed and single-machine BINNO agree to 1e-9 (relative, on X, Y, Psi1
 * and Psi2) after 50 iterations from the same start, in local[2] mode, on 600 x 40 with r = 5 in
 * row blocks of unequal size (one with fewer rows than r).
 */
class SparkBinnoTest {

    static final int[] BLOCKS = {130, 3, 217, 60, 190};
    static final double LAMBDA = 0.05;
    static final double GAMMA = 0.01;

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(SparkSessions.open("local[2]", "bilevel4j-test").sparkContext());
    }

    private static void agree(BinnoWeights weights) {
        DMatrixRMaj m = SyntheticFactorization.generate(600, 40, 5, 0.3, 0.01, 11).observed();
        int r = 5;
        var local = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, r))
                .upper(new NormL1(LAMBDA), new NormL1(LAMBDA))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        BlockIterate start = local.uniformStart(5);
        SolverOptions opts = SolverOptions.builder().maxIterations(50).build();
        Result<BlockIterate> single = new Binno(weights).solve(local, start, opts);

        DistributedFactorization dist = DistributedFactorization.of(RowBlocks.split(sc(), m, BLOCKS), r, LAMBDA,
                new NormL1(LAMBDA), GAMMA, new NuclearNorm(GAMMA));
        assertThat(dist.exactValues()).isTrue();
        Result<DistributedIterate> spark = new SparkBinno(weights).solve(dist, dist.distribute(start), opts);
        BlockIterate got = spark.solution().collect();
        spark.solution().release();

        assertThat(spark.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(spark.iterations()).isEqualTo(50);
        BlockIterate want = single.solution();
        assertThat(MatOps.distance(got.x(), want.x()) / Math.sqrt(MatOps.normSq(want.x()))).isLessThan(1e-9);
        assertThat(MatOps.distance(got.y(), want.y()) / Math.sqrt(MatOps.normSq(want.y()))).isLessThan(1e-9);
        Trace ts = single.trace();
        Trace td = spark.trace();
        assertThat(td.columns()).isEqualTo(ts.columns());
        assertThat(td.size()).isEqualTo(ts.size());
        for (String c : new String[] {"psi1", "psi2"}) {
            double[] a = ts.column(c);
            double[] b = td.column(c);
            for (int i = 0; i < a.length; i++) {
                assertThat(Math.abs(b[i] - a[i]) / Math.abs(a[i])).as("%s at row %d", c, i).isLessThan(1e-9);
            }
        }
        assertThat(td.column("trials")).containsExactly(ts.column("trials"));
        assertThat(td.column("psi1_decreased")).containsExactly(ts.column("psi1_decreased"));
        double[] aS = ts.column("alpha");
        double[] aD = td.column("alpha");
        for (int i = 0; i < aS.length; i++) {
            assertThat(aD[i]).isCloseTo(aS[i], org.assertj.core.data.Offset.offset(1e-9));
        }
        // the run moved: both objectives fell well below their start
        double psi1Start = local.upperValue(start.x(), start.y());
        assertThat(td.lastValue("psi1")).isLessThan(0.5 * psi1Start);
    }

    @Test
    void midpointAgreesWithTheSingleMachineSolverTo1e9After50Iterations() {
        agree(BinnoWeights.MIDPOINT);
    }

    @Test
    void linesearchAgreesWithTheSingleMachineSolverTo1e9After50Iterations() {
        agree(BinnoWeights.LINESEARCH);
    }

    /** The vanishing rule steps on the upper level's smooth part; l1 has none: both solvers refuse it. */
    @Test
    void vanishingWeightsAreRefusedLikeTheSingleMachineSolverDoes() {
        DMatrixRMaj m = SyntheticFactorization.generate(60, 8, 2, 0.3, 0.01, 3).observed();
        var local = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, 2))
                .upper(new NormL1(LAMBDA), new NormL1(LAMBDA))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        BinnoWeights v = new BinnoWeights.Vanishing(0.9, 0.9, 1.0);
        SolverOptions opts = SolverOptions.builder().maxIterations(5).build();
        BlockIterate start = local.uniformStart(1);
        assertThatThrownBy(() -> new Binno(v).solve(local, start, opts)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smooth part");
        DistributedFactorization dist = DistributedFactorization.of(RowBlocks.split(sc(), m, new int[] {30, 30}), 2,
                LAMBDA, new NormL1(LAMBDA), GAMMA, new NuclearNorm(GAMMA));
        assertThatThrownBy(() -> new SparkBinno(v).solve(dist, dist.distribute(start), opts))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smooth part");
    }
}
