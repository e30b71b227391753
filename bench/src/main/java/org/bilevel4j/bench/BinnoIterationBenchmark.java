package org.bilevel4j.bench;

import java.util.concurrent.TimeUnit;
import org.bilevel4j.apps.perf.BinnoBench;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoState;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One BINNO iteration (midpoint weights) on the benchmark problem of {@link BinnoBench}: a
 * synthetic rank-r matrix, l1 upper level, nuclear-norm lower level. Sizes: {@code small}
 * (2304 x 50, r = 9) and {@code large} (76800 x 500, r = 10). The state keeps iterating from
 * invocation to invocation; the cost of an iteration does not depend on how far the run got.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class BinnoIterationBenchmark {

    @Param({"small", "large"})
    public String size;

    private BlockCompositeBilevelProblem problem;
    private Binno binno;
    private BinnoState state;

    @Setup(Level.Trial)
    public void setUp() {
        BinnoBench.Size s = BinnoBench.Size.of(size);
        long seed = 7;
        problem = BinnoBench.problem(s.m(), s.n(), s.r(), seed);
        binno = new Binno(BinnoWeights.MIDPOINT);
        state = binno.init(problem, problem.uniformStart(seed), SolverOptions.builder().seed(seed).build());
    }

    @Benchmark
    public double iteration() {
        binno.step(problem, state);
        return state.psi1();
    }
}
