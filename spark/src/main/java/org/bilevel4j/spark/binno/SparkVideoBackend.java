package org.bilevel4j.spark.binno;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.apps.video.BinnoRunner;
import org.bilevel4j.cli.SparkBackend;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.spark.SparkSessions;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code bilevel4j video --spark MASTER}: the video experiment's BINNO as a {@link SparkBinno} run. The
 * clip, read on the driver, is split into {@code spark.default.parallelism} row blocks of equal size
 * (at most one block per row); the solution is collected back for the metrics and pictures.
 */
public final class SparkVideoBackend implements SparkBackend {

    @Override
    public BinnoRunner videoBinno(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL (local[*], spark://host:7077, yarn, ...)"
                    + " or '" + SparkSessions.SUBMIT + "'");
        }
        return new Runner(master);
    }

    private record Runner(String master) implements BinnoRunner {

        @Override
        public String describe() {
            return "Spark (master " + master + ", row blocks: spark.default.parallelism)";
        }

        @Override
        public Result<BlockIterate> solve(DMatrixRMaj m, int rank, double lambda, double gamma, BlockIterate start,
                SolverOptions options, IterationListener listener) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSessions.open(master, "bilevel4j video")
                    .sparkContext());
            int parts = Math.max(1, Math.min(sc.defaultParallelism(), m.numRows));
            JavaRDD<RowBlock> blocks = RowBlocks.even(sc, m, parts);
            try {
                DistributedFactorization p = DistributedFactorization.of(blocks, rank, lambda, new NormL1(lambda),
                        gamma, new NuclearNorm(gamma));
                Result<DistributedIterate> r = new SparkBinno(BinnoWeights.MIDPOINT).solve(p, p.distribute(start),
                        options, listener);
                BlockIterate sol = r.solution().collect();
                r.solution().release();
                return new Result<>(sol, r.trace(), r.stopReason(), r.iterations(), r.seconds(), r.solver(),
                        r.message() + " on " + parts + " row blocks");
            } finally {
                blocks.unpersist(false);
            }
        }
    }
}
