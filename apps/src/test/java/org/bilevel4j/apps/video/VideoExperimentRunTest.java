package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.apps.video.VideoExperiment.Method;
import org.bilevel4j.apps.video.VideoExperiment.Row;
import org.bilevel4j.apps.video.VideoExperiment.Settings;
import org.bilevel4j.apps.video.VideoExperiment.Start;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The experiment driver on tiny instances (names and settings, BINNO through a runner, the NMF note,
 * S = M_obs - L for the factorizations, the trace spacing, the thread pool), the corruption model
 * against its documented draws, the truncation against EJML's SVD, and the numerical rank at its
 * threshold.
 */
class VideoExperimentRunTest {

    private static DMatrixRMaj random(int m, int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = r.nextDouble(lo, hi);
        }
        return a;
    }

    @Test
    void methodsStartsAndSettingsByName() {
        assertThat(Method.of(" NMF ")).isEqualTo(Method.NMF);
        assertThat(Method.of("binno")).isEqualTo(Method.BINNO);
        assertThat(Method.of("Rpca")).isEqualTo(Method.RPCA);
        assertThat(Method.of("pcp")).isEqualTo(Method.PCP);
        assertThat(List.of(Method.values())).extracting(Method::key).containsExactly("binno", "nmf", "rpca", "pcp");
        assertThatThrownBy(() -> Method.of("svd")).hasMessage("unknown method 'svd' (expected binno, nmf, rpca, pcp)");
        assertThat(List.of(Start.values())).extracting(Start::key).containsExactly("uniform", "scaled");
        assertThat(Start.of(" SCALED")).isEqualTo(Start.SCALED);
        assertThatThrownBy(() -> Start.of("zero")).hasMessage("unknown start 'zero' (expected uniform or scaled)");
        Settings p = Settings.paper();
        assertThat(p).isEqualTo(new Settings(9, 5000, 0.05, 0.01, 0, Start.SCALED));
        assertThat(new VideoExperiment(p).settings()).isSameAs(p);
        assertThatThrownBy(() -> new Settings(0, 5, 0.05, 0.01, 0)).hasMessage("bad settings: rank 0, iterations 5,"
                + " lambda 0.05, gamma 0.01");
        assertThatThrownBy(() -> new Settings(1, 0, 0.05, 0.01, 0)).hasMessageContaining("iterations 0");
        assertThatThrownBy(() -> new Settings(1, 1, Double.NaN, 0.01, 0)).hasMessageContaining("lambda NaN");
        assertThatThrownBy(() -> new Settings(1, 1, 0.05, -1, 0)).hasMessageContaining("gamma -1.0");
        assertThatThrownBy(() -> new VideoExperiment(p).withBinnoRunner(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void binnoRunsThroughARunnerWithTheExperimentsProblem() {
        DMatrixRMaj m = random(12, 8, 1, 0, 1);
        Corruption.Observation obs = Corruption.none(m);
        Settings s = new Settings(20, 300, 0.04, 0.02, 5);
        List<Object[]> calls = new ArrayList<>();
        BinnoRunner runner = new BinnoRunner() {
            @Override
            public String describe() {
                return "this thread";
            }

            @Override
            public Result<BlockIterate> solve(DMatrixRMaj mm, int rank, double lambda, double gamma, BlockIterate start,
                    SolverOptions options, IterationListener listener) {
                calls.add(new Object[] {mm, rank, lambda, gamma, start, options});
                var problem = SparseLowRank.problem(new FactorizationCoupling(mm, rank), lambda, lambda, gamma, gamma);
                return new Binno(BinnoWeights.MIDPOINT).solve(problem, start, options, listener);
            }
        };
        int[] shown = {0, 3, 7};
        VideoExperiment exp = new VideoExperiment(s);
        VideoExperiment remote = exp.withBinnoRunner(runner);
        assertThat(remote.settings()).isSameAs(s);
        Row here = exp.run(Method.BINNO, obs, shown, IterationListener.none());
        Row there = remote.run(Method.BINNO, obs, shown, IterationListener.none());
        assertThat(calls).hasSize(1);
        Object[] c = calls.get(0);
        assertThat(c[0]).isSameAs(m);
        assertThat(c[1]).isEqualTo(8); // min(rank 20, 12, 8)
        assertThat(c[2]).isEqualTo(0.04);
        assertThat(c[3]).isEqualTo(0.02);
        FactorizationCoupling coupling = new FactorizationCoupling(m, 8);
        BlockIterate start = coupling.scaledToData(SparseLowRank.problem(coupling, 0.04, 0.04, 0.02, 0.02)
                .uniformStart(5));
        assertThat(((BlockIterate) c[4]).x().data).isEqualTo(start.x().data);
        assertThat(((BlockIterate) c[4]).y().data).isEqualTo(start.y().data);
        SolverOptions o = (SolverOptions) c[5];
        assertThat(o.maxIterations()).isEqualTo(300);
        assertThat(o.seed()).isEqualTo(5);
        assertThat(o.traceEvery()).isEqualTo(1);
        assertThat(there.lowFrames().data).isEqualTo(here.lowFrames().data);
        assertThat(there.sparseFrames().data).isEqualTo(here.sparseFrames().data);
        assertThat(there.iterations()).isEqualTo(here.iterations());
        assertThat(here.mse()).isNaN();
        assertThat(here.psnr()).isNaN();
    }

    @Test
    void factorizationsShowTheResidualAsTheSparsePartAndNmfNotesNegativeData() {
        DMatrixRMaj m = random(12, 8, 2, 0, 1);
        m.set(0, 0, -0.5);
        m.set(3, 5, -0.25);
        DMatrixRMaj clean = random(12, 8, 3, 0, 1);
        Corruption.Observation obs = new Corruption.Observation(m, clean, 2);
        int[] shown = {5, 0};
        Row nmf = new VideoExperiment(new Settings(3, 3000, 0.05, 0.01, 1)).run(Method.NMF, obs, shown,
                IterationListener.none());
        assertThat(nmf.note()).isEqualTo("2 negative data entries (2.083%) clipped to 0");
        assertThat(nmf.iterations()).isEqualTo(3000);
        // S = |M_obs - L| on the frames shown, L = W H
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(nmf.sparseFrames().get(i, j)).isCloseTo(Math.abs(m.get(i, shown[j]) - nmf.lowFrames().get(i, j)),
                        within(1e-15));
            }
        }
        // a trace row every 3000 / 1000 = 3 iterations, and the first and the last
        double[] its = nmf.trace().column("iteration");
        assertThat(its).hasSize(1001);
        assertThat(its[0]).isEqualTo(1);
        assertThat(its[1]).isEqualTo(3);
        assertThat(its[1000]).isEqualTo(3000);
        assertThat(nmf.mse()).isGreaterThan(0);
        assertThat(nmf.psnr()).isCloseTo(10 * Math.log10(1 / nmf.mse()), within(1e-12));
        DMatrixRMaj nonneg = random(12, 8, 2, 0, 1);
        Row plain = new VideoExperiment(new Settings(3, 50, 0.05, 0.01, 1)).run(Method.NMF, Corruption.none(nonneg),
                shown, IterationListener.none());
        assertThat(plain.note()).isEmpty();
        assertThat(plain.trace().size()).isEqualTo(50); // every iteration below 2000
    }

    @Test
    void oneMethodRunsOnTheCallingThreadAndPoolsAreDaemonAndShutDown() throws InterruptedException {
        Corruption.Observation obs = Corruption.none(random(10, 6, 4, 0, 1));
        VideoExperiment exp = new VideoExperiment(new Settings(2, 20, 0.05, 0.01, 1));
        Thread me = Thread.currentThread();
        List<Thread> ran = new ArrayList<>();
        exp.runAll(List.of(Method.NMF), obs, new int[] {0}, m -> IterationListener.none(), 4, r -> {
            ran.add(Thread.currentThread());
            return r;
        });
        assertThat(ran).containsExactly(me);
        Map<Method, Thread> workers = new ConcurrentHashMap<>();
        // called from a thread that is not a daemon (threads inherit the flag of the thread that makes them)
        Thread caller = new Thread(() -> exp.runAll(List.of(Method.NMF, Method.RPCA), obs, new int[] {0},
                m -> IterationListener.none(), 2, r -> {
                    workers.put(r.method(), Thread.currentThread());
                    return r;
                }));
        caller.setDaemon(false);
        caller.start();
        caller.join(60_000);
        assertThat(workers).hasSize(2);
        for (Thread t : workers.values()) {
            assertThat(t).isNotSameAs(me);
            assertThat(t.isDaemon()).isTrue();
            t.join(20_000);
            assertThat(t.isAlive()).as("worker %s after the pool was shut down", t.getName()).isFalse();
        }
    }

    @Test
    void anInterruptedCallerCancelsTheMethodsWaitsForThemAndKeepsItsInterrupt() {
        Corruption.Observation obs = Corruption.none(random(10, 6, 4, 0, 1));
        VideoExperiment exp = new VideoExperiment(new Settings(2, 1_000_000, 0.05, 0.01, 1));
        Map<Method, StopReason> stops = new ConcurrentHashMap<>();
        Thread.currentThread().interrupt();
        List<Row> rows;
        try {
            rows = exp.runAll(List.of(Method.NMF, Method.BINNO), obs, new int[] {0}, m -> new IterationListener() {
                @Override
                public void onIteration(org.bilevel4j.solver.IterationInfo info) {
                }

                @Override
                public void onFinish(StopReason reason, int iterations, double seconds) {
                    stops.put(m, reason);
                }
            }, 2, r -> r);
        } finally {
            assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        }
        assertThat(rows).extracting(Row::method).containsExactly(Method.NMF, Method.BINNO);
        assertThat(rows).extracting(Row::stopReason).containsOnly(StopReason.CANCELLED);
        assertThat(stops).containsEntry(Method.NMF, StopReason.CANCELLED).containsEntry(Method.BINNO,
                StopReason.CANCELLED);
    }

    /** The best rank-k approximation from EJML's SVD. */
    private static DMatrixRMaj bestRank(DMatrixRMaj d, int k) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d.numRows, d.numCols, true,
                true, true);
        assertThat(svd.decompose(d.copy())).isTrue();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, true);
        double[] s = new double[Math.min(d.numRows, d.numCols)];
        for (int i = 0; i < s.length; i++) {
            s[i] = w.get(i, i);
        }
        double[] sorted = s.clone();
        java.util.Arrays.sort(sorted);
        double cut = sorted[sorted.length - k];
        for (int i = 0; i < s.length; i++) {
            w.set(i, i, s[i] >= cut ? s[i] : 0);
        }
        DMatrixRMaj uw = new DMatrixRMaj(u.numRows, w.numCols);
        CommonOps_DDRM.mult(u, w, uw);
        DMatrixRMaj out = new DMatrixRMaj(d.numRows, d.numCols);
        CommonOps_DDRM.mult(uw, v, out);
        return out;
    }

    @Test
    void truncationIsExactUpTo256ColumnsAndRandomizedBeyond() {
        DMatrixRMaj flat = random(256, 256, 9, -1, 1);
        DMatrixRMaj want = bestRank(flat, 5);
        DMatrixRMaj got = Corruption.truncate(flat, 5, RandomGeneratorFactory.of("L64X128MixRandom").create(1));
        for (int i = 0; i < want.data.length; i++) {
            assertThat(got.data[i]).isCloseTo(want.data[i], within(1e-9));
        }
        // 257 columns: the randomized SVD, exact on a matrix of rank 3
        DMatrixRMaj a = random(261, 3, 10, -1, 1);
        DMatrixRMaj b = random(3, 257, 11, -1, 1);
        DMatrixRMaj low = new DMatrixRMaj(261, 257);
        CommonOps_DDRM.mult(a, b, low);
        DMatrixRMaj back = Corruption.truncate(low, 3, RandomGeneratorFactory.of("L64X128MixRandom").create(1));
        for (int i = 0; i < low.data.length; i++) {
            assertThat(back.data[i]).isCloseTo(low.data[i], within(1e-9));
        }
    }

    @Test
    void corruptionFollowsFloydsSamplingThenOneSignPerEntryInIndexOrder() {
        DMatrixRMaj clip = random(14, 9, 12, 0, 1);
        for (double fraction : new double[] {1.0, 0.3, 0.0}) {
            Corruption model = new Corruption(2, fraction, 0.5);
            Corruption.Observation o = model.apply(clip, 21);
            DMatrixRMaj l0 = o.clean();
            DMatrixRMaj want = bestRank(clip, 2);
            for (int i = 0; i < want.data.length; i++) {
                assertThat(l0.data[i]).isCloseTo(want.data[i], within(1e-12));
            }
            // the exact SVD draws nothing: the support and the signs come first from the generator
            RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(21);
            int total = 14 * 9;
            int count = (int) Math.round(fraction * total);
            BitSet support = new BitSet(total);
            for (int j = total - count; j < total; j++) {
                int t = (int) rnd.nextLong(j + 1L);
                support.set(support.get(t) ? j : t);
            }
            assertThat(support.cardinality()).isEqualTo(count);
            assertThat(o.corrupted()).isEqualTo(count);
            for (int i = 0; i < total; i++) {
                double expected = l0.data[i];
                if (support.get(i)) {
                    expected += 0.5 * (rnd.nextBoolean() ? 1 : -1) * Math.abs(l0.data[i]);
                }
                assertThat(o.observed().data[i]).as("fraction %s, entry %d", fraction, i).isEqualTo(expected);
            }
        }
        Corruption.Observation none = Corruption.none(clip);
        assertThat(none.observed()).isSameAs(clip);
        assertThat(none.clean()).isNull();
        assertThat(none.corrupted()).isZero();
        assertThat(none.hasReference()).isFalse();
        assertThat(new Corruption.Observation(clip, clip, 0).hasReference()).isTrue();
    }

    @Test
    void numericalRankCountsSingularValuesStrictlyAboveTheTolerance() {
        // tolerance max(m, n) ulp(sigma_1) = 2 ulp(1) = 2^-51
        DMatrixRMaj at = new DMatrixRMaj(new double[][] {{1, 0}, {0, Math.scalb(1.0, -51)}});
        DMatrixRMaj above = new DMatrixRMaj(new double[][] {{1, 0}, {0, Math.scalb(1.0, -50)}});
        assertThat(VideoMetrics.numericalRank(at)).isEqualTo(1);
        assertThat(VideoMetrics.numericalRank(above)).isEqualTo(2);
        assertThat(VideoMetrics.numericalRank(new DMatrixRMaj(3, 2))).isZero();
    }
}
