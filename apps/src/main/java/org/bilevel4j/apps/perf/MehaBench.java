package org.bilevel4j.apps.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bilevel4j.apps.cleaning.CleaningDataset;
import org.bilevel4j.apps.cleaning.HyperCleaning;
import org.bilevel4j.apps.cleaning.HyperCleaningProblem;
import org.bilevel4j.apps.cleaning.ProductLog;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.linalg.TallMatrix;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.bilevel4j.solver.meha.MehaState;
import org.ejml.data.DMatrixRMaj;

/**
 * Seconds per MEHA iteration on data hyper-cleaning, and its ratio to the floor: the time of the
 * matrix products one iteration makes (counted by the problem's {@link ProductLog}: shapes and
 * numbers), timed alone on the problem's own prepared matrices ({@link TallMatrix}, the
 * thin-product kernels the problem uses), in the same run. The rest of an iteration (softmax,
 * sigmoid, vector updates, bookkeeping) is what the ratio shows above 1.
 *
 * <p>To resist a noisy machine, the measurement alternates rounds: in each round, a block of MEHA
 * iterations and then each product shape alone; it reports the medians over rounds.
 */
public final class MehaBench {

    /**
     * The outcome.
     *
     * @param data what the problem was built on
     * @param backend the kernels of the products
     * @param secondsPerIteration median over rounds of the seconds per MEHA iteration
     * @param floorSecondsPerIteration median over rounds of the products' seconds per iteration
     * @param productsPerIteration the products of one iteration, by shape
     * @param secondsPerProduct median seconds of one product alone, by shape
     * @param rounds rounds measured
     * @param iterationsPerRound MEHA iterations per round
     * @param cpuSecondsPerIteration median over rounds of the process's CPU seconds (all threads) per MEHA
     *     iteration, NaN where the JVM does not report it; it can read 0 when a round is shorter than the
     *     process clock's tick
     */
    public record Report(String data, String backend, double secondsPerIteration, double floorSecondsPerIteration,
            Map<ProductLog.Shape, Double> productsPerIteration, Map<ProductLog.Shape, Double> secondsPerProduct,
            int rounds, int iterationsPerRound, double cpuSecondsPerIteration) {

        /** @return seconds per iteration over the floor */
        public double ratio() {
            return secondsPerIteration / floorSecondsPerIteration;
        }

        /**
         * The multiply-adds of one iteration's products: {@code sum over shapes of count * rows * features *
         * cols}, with rows the training or validation rows by the shape's data.
         *
         * @param trainRows the training rows
         * @param valRows the validation rows
         * @param features the features (the data matrices' columns)
         * @return the multiply-adds of one iteration's products
         */
        public double multiplyAddsPerIteration(int trainRows, int valRows, int features) {
            double s = 0;
            for (Map.Entry<ProductLog.Shape, Double> e : productsPerIteration.entrySet()) {
                int rows = e.getKey().data().equals("train") ? trainRows : valRows;
                s += e.getValue() * (double) rows * features * e.getKey().cols();
            }
            return s;
        }
    }

    private MehaBench() {
    }

    /**
     * @param data the data (the real FashionMNIST split, or {@link CleaningDataset#synthetic})
     * @param options MEHA's options (the hyper-cleaning defaults: {@link HyperCleaning#mehaDefaults()})
     * @param warmup iterations before measuring (JIT, caches)
     * @param rounds measurement rounds
     * @param iterationsPerRound MEHA iterations per round
     * @param precision the format of the products ({@link TallMatrix}), for MEHA and its floor alike
     * @return the timings, the products per iteration and their floor
     * @throws IllegalArgumentException when warmup, rounds or iterationsPerRound is below 1
     */
    public static Report run(CleaningDataset data, MehaOptions options, int warmup, int rounds,
            int iterationsPerRound, Precision precision) {
        if (warmup < 1 || rounds < 1 || iterationsPerRound < 1) {
            throw new IllegalArgumentException("warmup, rounds and iterationsPerRound must be positive");
        }
        HyperCleaningProblem problem = new HyperCleaningProblem(data, 1e-3, precision);
        Meha meha = new Meha(options);
        MehaState state = meha.init(problem, problem.start(), SolverOptions.defaults());
        for (int k = 0; k < warmup; k++) {
            meha.step(problem, state);
        }
        problem.productLog().reset();
        for (int k = 0; k < iterationsPerRound; k++) {
            meha.step(problem, state);
        }
        Map<ProductLog.Shape, Double> perIteration = new LinkedHashMap<>();
        problem.productLog().counts().forEach((s, n) -> perIteration.put(s, (double) n / iterationsPerRound));

        Map<ProductLog.Shape, Runnable> products = new LinkedHashMap<>();
        for (ProductLog.Shape s : perIteration.keySet()) {
            products.put(s, product(matrix(problem, s.data()), s));
        }
        for (Runnable r : products.values()) {
            for (int k = 0; k < 3; k++) {
                r.run();
            }
        }
        double[] iterSeconds = new double[rounds];
        double[] cpuSeconds = new double[rounds];
        double[] floorSeconds = new double[rounds];
        Map<ProductLog.Shape, double[]> alone = new LinkedHashMap<>();
        for (ProductLog.Shape s : products.keySet()) {
            alone.put(s, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int k = 0; k < iterationsPerRound; k++) {
                meha.step(problem, state);
            }
            iterSeconds[r] = (System.nanoTime() - t0) * 1e-9 / iterationsPerRound;
            cpuSeconds[r] = c0 < 0 ? Double.NaN : (processCpuNanos() - c0) * 1e-9 / iterationsPerRound;
            double floor = 0;
            for (Map.Entry<ProductLog.Shape, Runnable> e : products.entrySet()) {
                int reps = Math.max(1, (int) Math.round(perIteration.get(e.getKey()) * iterationsPerRound));
                long p0 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    e.getValue().run();
                }
                double one = (System.nanoTime() - p0) * 1e-9 / reps;
                alone.get(e.getKey())[r] = one;
                floor += one * perIteration.get(e.getKey());
            }
            floorSeconds[r] = floor;
        }
        Map<ProductLog.Shape, Double> perProduct = new LinkedHashMap<>();
        alone.forEach((s, v) -> perProduct.put(s, median(v)));
        String backend = "TallMatrix: " + problem.trainModel().kernels() + ", " + Gemm.threads()
                + (Gemm.threads() == 1 ? " thread" : " threads");
        return new Report(data.name(), backend, median(iterSeconds), median(floorSeconds), perIteration,
                perProduct, rounds, iterationsPerRound, median(cpuSeconds));
    }

    /** @return the CPU time of this process (all its threads) in nanoseconds, or -1 if unknown */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** @return the problem's own prepared matrix of a data set: the floor runs on the iteration's copy */
    private static TallMatrix matrix(HyperCleaningProblem problem, String name) {
        return switch (name) {
            case "train" -> problem.trainModel().matrix();
            case "val" -> problem.validationModel().matrix();
            default -> throw new IllegalArgumentException("unknown data set " + name);
        };
    }

    /** The product of a shape alone: the data set's design matrix times a random dense operand. */
    private static Runnable product(TallMatrix a, ProductLog.Shape s) {
        SplittableRandom rnd = new SplittableRandom(7);
        if (s.transposed()) {
            DMatrixRMaj r = random(a.rows(), s.cols(), rnd);
            DMatrixRMaj out = new DMatrixRMaj(a.cols(), s.cols());
            return () -> a.multTransA(r, out);
        }
        DMatrixRMaj y = random(a.cols(), s.cols(), rnd);
        DMatrixRMaj out = new DMatrixRMaj(a.rows(), s.cols());
        return () -> a.mult(y, out);
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rnd.nextDouble(-0.1, 0.1);
        }
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * @param r a report
     * @return the report as lines of text
     */
    public static List<String> describe(Report r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("MEHA on hyper-cleaning (%s), matrix products through %s", r.data(), r.backend()));
        lines.add(String.format("  %d rounds of %d iterations (medians over rounds)", r.rounds(),
                r.iterationsPerRound()));
        lines.add("  products of one iteration, each timed alone:");
        r.productsPerIteration().forEach((s, n) -> lines.add(String.format("    %-5s %s x %2d cols  %4.2f per iteration"
                + "  %8.3f ms each", s.data(), s.transposed() ? "A^T R" : "A Y  ", s.cols(), n,
                1000 * r.secondsPerProduct().get(s))));
        lines.add(String.format("  seconds per MEHA iteration  %.5f  (%.2f ms)", r.secondsPerIteration(),
                1000 * r.secondsPerIteration()));
        lines.add(String.format("  floor (its products alone)  %.5f  (%.2f ms)", r.floorSecondsPerIteration(),
                1000 * r.floorSecondsPerIteration()));
        lines.add(String.format("  ratio to the floor          %.2f", r.ratio()));
        lines.add(String.format("  process CPU per iteration   %.5f  (%.2f ms, %.2f cores busy)", r.cpuSecondsPerIteration(),
                1000 * r.cpuSecondsPerIteration(), r.cpuSecondsPerIteration() / r.secondsPerIteration()));
        return lines;
    }
}
