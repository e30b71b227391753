package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * One BINNO iteration on the factorization coupling must not allocate an m x n temporary
 * (issue 3, item 10). Measured with the JVM's per-thread allocation counters, summed over all
 * threads (the product kernels run on a pool).
 */
class BinnoAllocationTest {

    @Test
    void anIterationAllocatesFarLessThanTheDataMatrix() {
        var bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counters");
        var threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counters are off");
        int m = 8192;
        int n = 256; // m n above 2^20: H from the thin products, not from the residual
        int r = 8;
        SplittableRandom rnd = new SplittableRandom(3);
        DMatrixRMaj data = new DMatrixRMaj(m, n);
        for (int i = 0; i < data.data.length; i++) {
            data.data[i] = rnd.nextDouble();
        }
        FactorizationCoupling h = new FactorizationCoupling(data, r);
        assertThat(h.exactValues()).isFalse();
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
            var problem = BlockCompositeBilevelProblem.builder(h).upper(new NormL1(0.05), new NormL1(0.05))
                    .lower(new NuclearNorm(0.01), new NuclearNorm(0.01)).build();
            Binno binno = new Binno(w);
            BinnoState state = binno.init(problem, problem.uniformStart(5), SolverOptions.builder().build());
            // warm-up: pool threads, class loading, and compiled code: before C2 compiles the Vector API
            // kernels (the thin QR's dot products, the passes over M, with the module loaded) every vector
            // operation allocates a boxed vector, several MB an iteration here, which is not what this test is
            // about. In a JVM that ran other tests first a kernel may still be waiting for C2 (once, 22.9 MB in
            // an iteration after 40), so up to three rounds of warm-up and measurement: an m x n temporary
            // would show in every round, the JIT's boxing passes
            long dataBytes = 8L * m * n;
            long most = Long.MAX_VALUE;
            for (int round = 0; round < 3 && most >= dataBytes / 2; round++) {
                for (int it = 0; it < 40; it++) {
                    binno.step(problem, state);
                }
                most = 0;
                for (int it = 0; it < 3; it++) {
                    long before = allocated(threads);
                    binno.step(problem, state);
                    most = Math.max(most, allocated(threads) - before);
                }
            }
            assertThat(most).as("bytes allocated by one %s iteration", w.label()).isLessThan(dataBytes / 2);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long total = 0;
        for (long b : threads.getThreadAllocatedBytes(ids)) {
            if (b > 0) {
                total += b;
            }
        }
        return total;
    }
}
