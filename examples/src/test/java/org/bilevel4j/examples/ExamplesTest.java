package org.bilevel4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example reaches its closed-form answer. */
class ExamplesTest {

    @Test
    void dbgdFindsTheMinimumNormSolution() {
        Result<DMatrixRMaj> r = MinimumNormDbgd.solve(20_000);
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).doesNotContain("warning");
        double err = 0;
        for (int i = 0; i < 3; i++) {
            err = Math.max(err, Math.abs(r.solution().get(i) - MinimumNormDbgd.EXACT[i]));
        }
        assertThat(err).isLessThan(1e-3);
    }

    @Test
    void mehaFindsTheLassoWeight() {
        Result<PairIterate> r = LassoHyperparameterMeha.solve(20_000);
        assertThat(r.ok()).isTrue();
        assertThat(r.solution().x().get(0)).isCloseTo(LassoHyperparameterMeha.EXACT_X,
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(r.solution().y().get(0)).isCloseTo(LassoHyperparameterMeha.EXACT_Y[0],
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(r.solution().y().get(1)).isCloseTo(LassoHyperparameterMeha.EXACT_Y[1],
                org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void binnoFactorizesAUsersMatrixFile(@TempDir Path dir) throws Exception {
        // a 60 x 40 matrix of exact rank 3, written the way a user would hand it over
        var rng = RandomGeneratorFactory.of("L64X128MixRandom").create(15);
        DMatrixRMaj u = new DMatrixRMaj(60, 3);
        DMatrixRMaj v = new DMatrixRMaj(3, 40);
        for (int i = 0; i < u.data.length; i++) {
            u.data[i] = rng.nextDouble();
        }
        for (int i = 0; i < v.data.length; i++) {
            v.data[i] = rng.nextDouble();
        }
        DMatrixRMaj m = new DMatrixRMaj(60, 40);
        CommonOps_DDRM.mult(u, v, m);
        Path file = dir.resolve("m.csv");
        MatrixIO.write(file, m);
        assertThat(Files.size(file)).isPositive();

        Result<BlockIterate> r = BinnoOnMatrixFile.solve(file, 3, 1e-4, 3000);
        assertThat(r.ok()).isTrue();
        assertThat(FactorizationMetrics.relativeError(m, r.solution().product())).isLessThan(1e-2);
    }

    @Test
    void penaltyMinimaxApproachesTheBilevelSolutionLikeOneOverRho() {
        for (double rho : new double[] {10, 100, 1000}) {
            Result<MinimaxBilevelPoint> r = PenaltyMinimaxScalar.solve(rho, 20_000);
            assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
            double x = r.solution().x1().get(0);
            double y = r.solution().y1().get(0);
            assertThat(Math.abs(x - PenaltyMinimaxScalar.EXACT) * rho).as("rho = %s", rho).isLessThan(1.0);
            assertThat(Math.abs(y - PenaltyMinimaxScalar.EXACT) * rho).as("rho = %s", rho).isLessThan(1.0);
        }
    }
}
