package org.bilevel4j.apps.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.baseline.LowRankSparse;
import org.bilevel4j.solver.baseline.Nmf;
import org.bilevel4j.solver.baseline.RobustPca;
import org.bilevel4j.solver.baseline.StablePcp;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;

/**
 * The video experiment of the BINNO paper: separate a clip (or its corrupted rank-k version) into a
 * low-rank background L and a sparse foreground S = M_obs - L with each chosen method, and measure
 * them ({@link VideoMetrics}).
 *
 * <p>Methods and their settings ({@link Settings#paper()}):
 * <ul>
 *   <li>{@code binno}: BINNO (midpoint weights) on {@code H = 1/2 ||XY - M||^2}, r = 9,
 *       {@code lambda1 = lambda2 = 0.05} (l1, upper level), {@code gamma1 = gamma2 = 0.01} (nuclear,
 *       lower level), 5000 iterations from X, Y uniform on [0, 1) scaled together to the data
 *       ({@link Start#SCALED}; {@link Start#UNIFORM} keeps the raw draw); L = XY;</li>
 *   <li>{@code nmf}: Lee-Seung NMF, same rank and iterations, uniform start; L = WH;</li>
 *   <li>{@code rpca}: inexact ALM with the defaults of Lin, Chen and Ma (tolerance 1e-7), at most
 *       {@code maxIterations} iterations; L and S from the method;</li>
 *   <li>{@code pcp}: stable PCP by APG with continuation (defaults of {@link StablePcp}); L and S from
 *       the method.</li>
 * </ul>
 * For binno and nmf S is {@code M_obs - L}. Only six frames of L and S are kept per method (for the
 * montages), so memory stays at a few m x n matrices however many methods run.
 */
public final class VideoExperiment {

    /** The methods, by command-line name. */
    public enum Method {
        /** BINNO, the bilevel factorization. */
        BINNO("binno"),
        /** Nonnegative matrix factorization (multiplicative updates). */
        NMF("nmf"),
        /** Robust PCA (inexact ALM). */
        RPCA("rpca"),
        /** Stable principal component pursuit. */
        PCP("pcp");

        private final String key;

        Method(String key) {
            this.key = key;
        }

        /** @return the command-line name */
        public String key() {
            return key;
        }

        /**
         * @param key the method's name
         * @return the method named {@code key} (case-insensitive)
         */
        public static Method of(String key) {
            for (Method m : values()) {
                if (m.key.equalsIgnoreCase(key.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + key + "' (expected binno, nmf, rpca, pcp)");
        }
    }

    /**
     * BINNO's start. Both draw X (m x r) and Y (r x n) uniform on [0, 1) from the seed
     * ({@link BlockCompositeBilevelProblem#uniformStart}).
     */
    public enum Start {
        /** The uniform draw as it is: products XY near r/4 per entry, well above pixels in [0, 1]. */
        UNIFORM("uniform"),
        /**
         * The uniform draw with both factors scaled by the same {@code sqrt(c)}, c the least-squares
         * scale of XY to M ({@link FactorizationCoupling#scaledToData}). The default: with the
         * 1/L step sizes the unscaled start costs BINNO thousands of iterations on a large clip.
         */
        SCALED("scaled");

        private final String key;

        Start(String key) {
            this.key = key;
        }

        /** @return the name used on the command line */
        public String key() {
            return key;
        }

        /**
         * @param key the start's name
         * @return the start named {@code key} (case-insensitive)
         */
        public static Start of(String key) {
            for (Start s : values()) {
                if (s.key.equalsIgnoreCase(key.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown start '" + key + "' (expected uniform or scaled)");
        }
    }

    /**
     * The experiment's settings.
     *
     * @param rank r of BINNO and NMF (9)
     * @param iterations iterations of BINNO and NMF, and the cap of RPCA and PCP (5000)
     * @param lambda the l1 weights lambda1 = lambda2 of BINNO (0.05)
     * @param gamma the nuclear weights gamma1 = gamma2 of BINNO (0.01)
     * @param seed seed of the starts and the randomized SVDs
     * @param start BINNO's start
     */
    public record Settings(int rank, int iterations, double lambda, double gamma, long seed, Start start) {

        /**
         * Validates.
         *
         * @param rank r of BINNO and NMF (9)
         * @param iterations iterations of BINNO and NMF, and the cap of RPCA and PCP (5000)
         * @param lambda the l1 weights lambda1 = lambda2 of BINNO (0.05)
         * @param gamma the nuclear weights gamma1 = gamma2 of BINNO (0.01)
         * @param seed the seed of the random generator
         * @param start the start point, not modified
         */
        public Settings {
            if (rank < 1 || iterations < 1 || !(lambda >= 0) || !(gamma >= 0)) {
                throw new IllegalArgumentException("bad settings: rank " + rank + ", iterations " + iterations
                        + ", lambda " + lambda + ", gamma " + gamma);
            }
            Objects.requireNonNull(start, "start");
        }

        /**
         * Settings with BINNO's default start, {@link Start#SCALED}.
         *
         * @param rank the rank r of the factors
         * @param iterations the iteration limit
         * @param lambda the upper-level weight lambda
         * @param gamma the lower-level weight gamma
         * @param seed the seed of the random generator
         */
        public Settings(int rank, int iterations, double lambda, double gamma, long seed) {
            this(rank, iterations, lambda, gamma, seed, Start.SCALED);
        }

        /** @return r = 9, 5000 iterations, lambda = 0.05, gamma = 0.01, seed 0 */
        public static Settings paper() {
            return new Settings(9, 5000, 0.05, 0.01, 0);
        }
    }

    /**
     * One method's outcome.
     *
     * @param method the method
     * @param solver the solver's name
     * @param seconds wall time of the solve
     * @param iterations completed iterations
     * @param stopReason why it stopped
     * @param rank numerical rank of L
     * @param relativeError {@code ||M_obs - L|| / ||M_obs||}
     * @param mse {@code MSE(L, L0)}, NaN without a reference
     * @param psnr {@code 10 log10(1 / MSE)}, NaN without a reference
     * @param trace the solver's trace
     * @param lowFrames the montage frames of L (pixels x 6)
     * @param sparseFrames the montage frames of |S| (pixels x 6)
     * @param note extra information (clipped negative entries for NMF), may be empty
     */
    public record Row(Method method, String solver, double seconds, int iterations, StopReason stopReason, int rank,
            double relativeError, double mse, double psnr, Trace trace, DMatrixRMaj lowFrames,
            DMatrixRMaj sparseFrames, String note) {
    }

    private final Settings settings;
    private final BinnoRunner binnoRunner;

    /** @param settings the settings */
    public VideoExperiment(Settings settings) {
        this(settings, null);
    }

    private VideoExperiment(Settings settings, BinnoRunner binnoRunner) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.binnoRunner = binnoRunner;
    }

    /**
     * @param runner where the BINNO method runs (a Spark cluster, say); the other methods still run
     *     in this process
     * @return this experiment with BINNO run by {@code runner}
     */
    public VideoExperiment withBinnoRunner(BinnoRunner runner) {
        return new VideoExperiment(settings, Objects.requireNonNull(runner, "runner"));
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /**
     * Runs one method on the observation.
     *
     * @param obs the observed matrix and its reference
     * @param montageFrames the frame indices whose L and |S| the row keeps
     * @param listener progress (may be {@link IterationListener#none()})
     * @param method the method
     * @return the row of the report
     */
    public Row run(Method method, Corruption.Observation obs, int[] montageFrames, IterationListener listener) {
        DMatrixRMaj m = obs.observed();
        SolverOptions opts = SolverOptions.builder().maxIterations(settings.iterations()).seed(settings.seed())
                .traceEvery(Math.max(1, settings.iterations() / 1000)).build();
        DMatrixRMaj low;
        DMatrixRMaj sparse = null;
        Result<?> result;
        String note = "";
        switch (method) {
            case BINNO -> {
                int r = Math.min(settings.rank(), Math.min(m.numRows, m.numCols));
                FactorizationCoupling coupling = new FactorizationCoupling(m, r);
                var problem = SparseLowRank.problem(coupling, settings.lambda(), settings.lambda(), settings.gamma(),
                        settings.gamma());
                BlockIterate start = problem.uniformStart(settings.seed());
                if (settings.start() == Start.SCALED) {
                    start = coupling.scaledToData(start);
                }
                Result<BlockIterate> res = binnoRunner != null
                        ? binnoRunner.solve(m, r, settings.lambda(), settings.gamma(), start, opts, listener)
                        : new Binno(BinnoWeights.MIDPOINT).solve(problem, start, opts, listener);
                result = res;
                low = res.solution().product();
            }
            case NMF -> {
                int r = Math.min(settings.rank(), Math.min(m.numRows, m.numCols));
                long negative = Nmf.countNegative(m);
                if (negative > 0) {
                    note = String.format(Locale.ROOT, "%d negative data entries (%.3f%%) clipped to 0", negative,
                            100.0 * negative / m.getNumElements());
                }
                Result<BlockIterate> res = new Nmf().solve(m, Nmf.uniformStart(m.numRows, m.numCols, r,
                        settings.seed()), opts, listener);
                result = res;
                low = res.solution().product();
            }
            case RPCA -> {
                Result<LowRankSparse> res = new RobustPca().solve(m, LowRankSparse.zeros(m.numRows, m.numCols),
                        opts, listener);
                result = res;
                low = res.solution().low();
                sparse = res.solution().sparse();
            }
            case PCP -> {
                Result<LowRankSparse> res = new StablePcp().solve(m, LowRankSparse.zeros(m.numRows, m.numCols),
                        opts, listener);
                result = res;
                low = res.solution().low();
                sparse = res.solution().sparse();
            }
            default -> throw new IllegalStateException("unknown method " + method);
        }
        double relErr = VideoMetrics.relativeError(m, low);
        double mse = obs.hasReference() ? VideoMetrics.mse(low, obs.clean()) : Double.NaN;
        double psnr = obs.hasReference() ? VideoMetrics.psnr(mse) : Double.NaN;
        int rank = VideoMetrics.numericalRank(low);
        DMatrixRMaj lowFrames = Montage.columns(low, montageFrames, false);
        DMatrixRMaj sparseFrames;
        if (sparse != null) {
            sparseFrames = Montage.columns(sparse, montageFrames, true);
        } else {
            DMatrixRMaj obsFrames = Montage.columns(m, montageFrames, false);
            sparseFrames = new DMatrixRMaj(lowFrames.numRows, lowFrames.numCols);
            for (int i = 0; i < sparseFrames.data.length; i++) {
                sparseFrames.data[i] = Math.abs(obsFrames.data[i] - lowFrames.data[i]);
            }
        }
        return new Row(method, result.solver(), result.seconds(), result.iterations(), result.stopReason(), rank,
                relErr, mse, psnr, result.trace(), lowFrames, sparseFrames, note);
    }

    /**
     * Runs the methods in order.
     *
     * @param methods the methods
     * @param obs the observation
     * @param montageFrames the frames of the montage
     * @param listeners the listener of each method
     * @return one row per method
     */
    public List<Row> runAll(List<Method> methods, Corruption.Observation obs, int[] montageFrames,
            Function<Method, IterationListener> listeners) {
        return runAll(methods, obs, montageFrames, listeners, 1, row -> row);
    }

    /**
     * Runs the methods on up to {@code threads} threads at once and hands each row to
     * {@code finish} on the thread that ran it, as soon as that method is done (the command line
     * writes the method's pictures and trace there while the other methods still run).
     *
     * <p>The methods are independent given the observation: each reads {@code obs} (never modified)
     * and builds its own start, state and random generator from the seed, and the matrix kernels
     * they call are deterministic whatever the thread that runs them or the load on the pool
     * ({@code org.bilevel4j.linalg.Gemm}: task boundaries depend on the shapes only). So the rows,
     * their traces and every figure of the report are the same for any {@code threads}, only the
     * wall seconds differ. Methods are started in the order given (put the longest first to finish
     * soonest); the result keeps that order.
     *
     * <p>If a method or its {@code finish} throws, the methods still running are cancelled (their
     * listeners report {@link IterationListener#isCancelled()}), the call waits for every started
     * task to end and rethrows the failure of the first method, in the order given, that failed (a
     * {@link RuntimeException} or {@link Error} as it is).
     *
     * @param <T> what {@code finish} makes of a row
     * @param methods the methods
     * @param obs the observation (not modified)
     * @param montageFrames the frames of the montage
     * @param listeners the listener of each method (called on the method's thread)
     * @param threads how many methods may run at once, at least 1 (1: one after the other on the
     *     calling thread)
     * @param finish applied to each row on the thread that ran the method
     * @return {@code finish} of each method's row, in the order of {@code methods}
     */
    public <T> List<T> runAll(List<Method> methods, Corruption.Observation obs, int[] montageFrames,
            Function<Method, IterationListener> listeners, int threads, Function<Row, T> finish) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(finish, "finish");
        int workers = Math.min(threads, methods.size());
        if (workers <= 1) {
            List<T> out = new ArrayList<>();
            for (Method m : methods) {
                out.add(finish.apply(run(m, obs, montageFrames, listeners.apply(m))));
            }
            return out;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        IterationListener stop = new IterationListener() {
            @Override
            public void onIteration(org.bilevel4j.solver.IterationInfo info) {
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        AtomicInteger made = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "bilevel4j-video-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Method m : methods) {
                IterationListener l = listeners.apply(m).andThen(stop);
                futures.add(pool.submit(() -> {
                    try {
                        return finish.apply(run(m, obs, montageFrames, l));
                    } catch (RuntimeException | Error e) {
                        cancelled.set(true);
                        throw e;
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            Throwable first = null;
            boolean interrupted = false;
            for (Future<T> f : futures) {
                while (true) {
                    try {
                        T v = f.get();
                        if (first == null) {
                            out.add(v);
                        }
                        break;
                    } catch (ExecutionException e) {
                        if (first == null) {
                            first = e.getCause();
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the tasks read obs and write through finish: wait for them anyway
                        cancelled.set(true);
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error err) {
                throw err;
            }
            if (first != null) {
                throw new IllegalStateException(first);
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

}
