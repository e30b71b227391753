package org.bilevel4j.spark.binno;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.apps.perf.BinnoBench;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoState;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;

/**
 * Seconds per iteration of {@link SparkBinno} against the single-machine {@link Binno} in the same
 * process, on the problem of {@link BinnoBench} (synthetic sparse low-rank M, upper level
 * {@code 0.05 (||X||_1 + ||Y||_1)}, lower level {@code 0.01 (||X||_* + ||Y||_*)}, midpoint weights,
 * uniform start), for several numbers of row blocks; plus the per-block costs of the two passes
 * measured on one block, from which a cluster's time per iteration is estimated:
 * <pre>
 *   t_iter(m, n, P blocks, E cores) = ceil(P / E) (c_A + c_B) (m / P) n  +  t_driver(n)  +  2 t_job
 * </pre>
 * with {@code c_A}, {@code c_B} the measured seconds per entry of M of pass 1 and pass 2 on one core,
 * {@code t_driver(n)} the measured r x n work of the driver, and {@code t_job} the fixed cost of a
 * Spark job (measured here in local mode as the time per iteration on a tiny matrix, halved).
 */
public final class SparkBinnoBench {

    private SparkBinnoBench() {
    }

    /**
     * One timing.
     *
     * @param label what ran
     * @param partitions row blocks (0 for the single-machine solver)
     * @param secondsPerIteration median seconds per iteration
     * @param minSeconds fastest iteration
     */
    public record Timing(String label, int partitions, double secondsPerIteration, double minSeconds) {
    }

    /**
     * Per-block costs.
     *
     * @param rows rows of the block
     * @param cols columns
     * @param passA seconds of pass 1 on the block (one core)
     * @param passB seconds of pass 2 on the block, including {@code Xl = Z W}
     * @param driver seconds of the driver's r x n work of one iteration (the two Y proxes)
     */
    public record BlockCost(int rows, int cols, double passA, double passB, double driver) {
        /** @return seconds per entry of M of both passes */
        public double perEntry() {
            return (passA + passB) / ((double) rows * cols);
        }
    }

    /**
     * A cluster estimate of {@link #estimate}.
     *
     * @param rows rows of M
     * @param cols columns of M
     * @param partitions row blocks
     * @param cores cores of the cluster
     * @param secondsPerIteration the estimated seconds per iteration
     */
    public record Estimate(long rows, int cols, int partitions, int cores, double secondsPerIteration) {
    }

    /**
     * Every figure of {@link #run}, as its lines print them.
     *
     * @param timings the single-machine solver first, then one per partition count
     * @param fixed the 400 x 20 matrix in two blocks, whose half is one job's fixed cost
     * @param jobSeconds the fixed cost of one Spark job, {@code fixed.secondsPerIteration() / 2}
     * @param blocks the per-block costs: a block of the problem at the most partitions, then 2048 x 6000
     * @param estimates the cluster estimates from the 2048 x 6000 block
     * @param loadBefore the one-minute load average before
     * @param loadAfter the one-minute load average after
     */
    public record Report(List<Timing> timings, Timing fixed, double jobSeconds, List<BlockCost> blocks,
            List<Estimate> estimates, double loadBefore, double loadAfter) {
    }

    /** Times the single-machine solver: median of {@code iterations} steps after {@code warmup}. */
    public static Timing single(BlockCompositeBilevelProblem p, BlockIterate start, int warmup, int iterations) {
        Binno b = new Binno(BinnoWeights.MIDPOINT);
        BinnoState s = b.init(p, start, SolverOptions.defaults());
        double[] t = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            b.step(p, s);
            if (i >= warmup) {
                t[i - warmup] = (System.nanoTime() - t0) * 1e-9;
            }
        }
        return timing("single machine (" + Gemm.backend() + ")", 0, t);
    }

    /** Times the distributed solver on {@code partitions} row blocks of M. */
    public static Timing distributed(JavaSparkContext sc, DMatrixRMaj m, int r, BlockIterate start, int partitions,
            int warmup, int iterations) {
        JavaRDD<RowBlock> blocks = RowBlocks.even(sc, m, partitions);
        DistributedFactorization p = DistributedFactorization.of(blocks, r, BinnoBench.LAMBDA,
                new NormL1(BinnoBench.LAMBDA), BinnoBench.GAMMA, new NuclearNorm(BinnoBench.GAMMA));
        SparkBinno b = new SparkBinno(BinnoWeights.MIDPOINT);
        SparkBinnoState s = b.init(p, p.distribute(start), SolverOptions.defaults());
        double[] t = new double[iterations];
        try {
            for (int i = 0; i < warmup + iterations; i++) {
                long t0 = System.nanoTime();
                b.step(p, s);
                if (i >= warmup) {
                    t[i - warmup] = (System.nanoTime() - t0) * 1e-9;
                }
                s.commit();
            }
            if (!s.isFinite()) {
                throw new IllegalStateException("the distributed benchmark run diverged");
            }
        } finally {
            s.release();
            blocks.unpersist(false);
        }
        return timing("spark " + sc.master(), partitions, t);
    }

    /**
     * Measures pass 1 and pass 2 on one block of {@code rows x cols} random data with rank r, single
     * thread of the calling JVM (median of {@code repeats}), and the driver's Y work at n = cols.
     */
    public static BlockCost blockCost(int rows, int cols, int r, int repeats, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj m = fill(new DMatrixRMaj(rows, cols), rnd);
        DMatrixRMaj x = fill(new DMatrixRMaj(rows, r), rnd);
        DMatrixRMaj y = fill(new DMatrixRMaj(r, cols), rnd);
        DMatrixRMaj gy = new DMatrixRMaj(r, r);
        Gemm.multTransB(y, y, gy);
        RowBlock mb = new RowBlock(0, m);
        BlockKernels.StepParams params = new BlockKernels.StepParams(y, gy, 1e-3, BinnoBench.LAMBDA, false, true);
        double[] ta = new double[repeats];
        double[] tb = new double[repeats];
        double[] td = new double[repeats];
        DMatrixRMaj w = org.ejml.dense.row.CommonOps_DDRM.identity(r);
        NuclearNorm g2 = new NuclearNorm(BinnoBench.GAMMA);
        NormL1 g1 = new NormL1(BinnoBench.LAMBDA);
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            StepBlock sb = BlockKernels.evaluateAndStepX(mb, x, params);
            long t1 = System.nanoTime();
            CandidateBlock cb = BlockKernels.applyProxMap(sb, w);
            BlockKernels.candidateStats(cb, mb, false, 0.5);
            long t2 = System.nanoTime();
            g1.prox(y, 1e-3);
            g2.prox(y, 1e-3);
            long t3 = System.nanoTime();
            ta[i] = (t1 - t0) * 1e-9;
            tb[i] = (t2 - t1) * 1e-9;
            td[i] = (t3 - t2) * 1e-9;
        }
        return new BlockCost(rows, cols, median(ta), median(tb), median(td));
    }

    /**
     * @return the estimated seconds per iteration on {@code cores} executor cores for an m x n matrix
     *     in {@code partitions} blocks (formula of the class comment)
     */
    public static double estimate(BlockCost c, double jobSeconds, long m, int n, int partitions, int cores) {
        double rowsPerBlock = (double) m / partitions;
        int waves = (partitions + cores - 1) / cores;
        double driver = c.driver() * n / c.cols();
        return waves * c.perEntry() * rowsPerBlock * n + driver + 2 * jobSeconds;
    }

    /**
     * The whole benchmark, printing as it goes.
     *
     * @param sc the Spark context (local[2] in the documented run)
     * @param m rows, n columns, r rank of the synthetic problem
     * @param partitionCounts numbers of row blocks to time
     * @param warmup untimed iterations per timing
     * @param iterations timed iterations per timing
     * @param seed seed of the data and the start
     * @param out where the lines go
     * @return the figures of the lines
     */
    public static Report run(JavaSparkContext sc, int m, int n, int r, List<Integer> partitionCounts, int warmup,
            int iterations, long seed, Consumer<String> out) {
        double load0 = load();
        out.accept(String.format(Locale.ROOT, "problem: %d x %d, r = %d (BinnoBench data, seed %d); master %s;"
                + " %d warm-up + %d timed iterations each; products: %s", m, n, r, seed, sc.master(), warmup,
                iterations, Gemm.backend()));
        BlockCompositeBilevelProblem p = BinnoBench.problem(m, n, r, seed);
        DMatrixRMaj data = ((FactorizationCoupling) p.coupling()).data();
        BlockIterate start = p.uniformStart(seed);
        List<Timing> rows = new ArrayList<>();
        Timing single = single(p, start, warmup, iterations);
        rows.add(single);
        out.accept(line(single, single));
        for (int parts : partitionCounts) {
            Timing t = distributed(sc, data, r, start, parts, warmup, iterations);
            rows.add(t);
            out.accept(line(t, single));
        }
        // fixed cost of an iteration's two jobs: a tiny matrix on 2 blocks
        BlockCompositeBilevelProblem tiny = BinnoBench.problem(400, 20, 2, seed);
        Timing small = distributed(sc, ((FactorizationCoupling) tiny.coupling()).data(), 2, tiny.uniformStart(seed),
                2, warmup, Math.max(iterations, 5));
        double job = small.secondsPerIteration() / 2;
        out.accept(String.format(Locale.ROOT, "fixed cost: %.4f s per iteration on a 400 x 20 matrix in 2 blocks"
                + " (so t_job = %.4f s)", small.secondsPerIteration(), job));
        BlockCost at500 = blockCost(m / Math.max(1, partitionCounts.get(partitionCounts.size() - 1)), n, r, 5, seed);
        out.accept(costLine(at500));
        BlockCost at6000 = blockCost(2048, 6000, r, 5, seed);
        out.accept(costLine(at6000));
        long bigM = 2_073_600L;
        int bigN = 6000;
        List<Estimate> estimates = new ArrayList<>();
        for (int[] pe : new int[][] {{256, 32}, {256, 64}, {512, 128}, {1024, 256}}) {
            Estimate e = new Estimate(bigM, bigN, pe[0], pe[1], estimate(at6000, job, bigM, bigN, pe[0], pe[1]));
            estimates.add(e);
            out.accept(String.format(Locale.ROOT, "estimate %d x %d, r = %d, %d blocks of %d rows on %d cores:"
                    + " %.2f s per iteration", bigM, bigN, r, pe[0], bigM / pe[0], pe[1], e.secondsPerIteration()));
        }
        double load1 = load();
        out.accept(String.format(Locale.ROOT, "load average %.1f before, %.1f after, %d processors", load0, load1,
                Runtime.getRuntime().availableProcessors()));
        return new Report(List.copyOf(rows), small, job, List.of(at500, at6000), List.copyOf(estimates), load0, load1);
    }

    /**
     * The agreement check of the tests, printed: BINNO and the distributed BINNO from the same start
     * on the 600 x 40 synthetic problem (r = 5) in row blocks of 130, 3, 217, 60 and 190 rows.
     *
     * @return {max relative distance of X, of Y, max relative difference of Psi1, of Psi2 over the
     *     trace}
     */
    public static double[] agreement(JavaSparkContext sc, BinnoWeights weights, int iterations) {
        DMatrixRMaj m = org.bilevel4j.apps.factorization.SyntheticFactorization.generate(600, 40, 5, 0.3, 0.01, 11)
                .observed();
        BlockCompositeBilevelProblem local = SparseLowRank.problem(new FactorizationCoupling(m, 5), BinnoBench.LAMBDA,
                BinnoBench.LAMBDA, BinnoBench.GAMMA, BinnoBench.GAMMA);
        BlockIterate start = local.uniformStart(5);
        SolverOptions opts = SolverOptions.builder().maxIterations(iterations).build();
        var single = new Binno(weights).solve(local, start, opts);
        JavaRDD<RowBlock> blocks = RowBlocks.split(sc, m, new int[] {130, 3, 217, 60, 190});
        DistributedFactorization p = DistributedFactorization.of(blocks, 5, BinnoBench.LAMBDA,
                new NormL1(BinnoBench.LAMBDA), BinnoBench.GAMMA, new NuclearNorm(BinnoBench.GAMMA));
        var dist = new SparkBinno(weights).solve(p, p.distribute(start), opts);
        BlockIterate got = dist.solution().collect();
        dist.solution().release();
        blocks.unpersist(false);
        BlockIterate want = single.solution();
        double[] out = new double[4];
        out[0] = org.bilevel4j.linalg.MatOps.distance(got.x(), want.x())
                / Math.sqrt(org.bilevel4j.linalg.MatOps.normSq(want.x()));
        out[1] = org.bilevel4j.linalg.MatOps.distance(got.y(), want.y())
                / Math.sqrt(org.bilevel4j.linalg.MatOps.normSq(want.y()));
        String[] cols = {"psi1", "psi2"};
        for (int c = 0; c < 2; c++) {
            double[] a = single.trace().column(cols[c]);
            double[] b = dist.trace().column(cols[c]);
            for (int i = 0; i < a.length; i++) {
                out[2 + c] = Math.max(out[2 + c], Math.abs(a[i] - b[i]) / Math.abs(a[i]));
            }
        }
        return out;
    }

    private static String costLine(BlockCost c) {
        return String.format(Locale.ROOT, "block %d x %d: pass 1 %.4f s, pass 2 %.4f s (%.3g ns per entry of M),"
                + " driver Y work %.4f s", c.rows(), c.cols(), c.passA(), c.passB(), c.perEntry() * 1e9, c.driver());
    }

    private static String line(Timing t, Timing single) {
        return String.format(Locale.ROOT, "%-40s %4s blocks  %.4f s/iteration (min %.4f)  x%.2f of single", t.label(),
                t.partitions() == 0 ? "-" : Integer.toString(t.partitions()), t.secondsPerIteration(), t.minSeconds(),
                t.secondsPerIteration() / single.secondsPerIteration());
    }

    private static Timing timing(String label, int partitions, double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return new Timing(label, partitions, median(s), s[0]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int k = s.length;
        return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
    }

    private static DMatrixRMaj fill(DMatrixRMaj a, SplittableRandom rnd) {
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextDouble();
        }
        return a;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
