package org.bilevel4j.apps.cleaning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.meha.Bome;
import org.bilevel4j.solver.meha.BomeOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.bilevel4j.solver.meha.PairState;
import org.ejml.data.DMatrixRMaj;

/**
 * The data hyper-cleaning protocol of the MEHA method page: MEHA or BOME on
 * {@link HyperCleaningProblem}, and the two sanity baselines (training on all noisy data unweighted,
 * and on the clean samples only). Metrics: test accuracy; F1 of clean-sample detection with
 * {@code x_i >= 0} meaning clean (precision = clean among flagged, recall = flagged among clean);
 * validation loss; all against the solver's own time (evaluations are not counted). For MEHA and
 * BOME, also the accuracy of a classifier retrained to convergence on the training set with the
 * learned weights {@code sigma(x)}: the returned classifier has seen the validation set through the
 * upper-level gradient, the retrained one has not.
 */
public final class HyperCleaning {

    /** What to run. */
    public enum Method {
        /** MEHA, the method of the study. */
        MEHA("meha"),
        /** BOME, the value-function baseline. */
        BOME("bome"),
        /** A classifier trained on the training samples whose labels were left intact (an oracle). */
        CLEAN_ONLY("clean-only"),
        /** A classifier trained on all samples with equal weights. */
        ALL_DATA("all-data");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** @return the command-line name */
        public String label() {
            return label;
        }

        /**
         * @param s the command-line name
         * @return the method of a command-line name
         */
        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.label.equals(s.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + s + "': use meha, bome, clean-only or all-data");
        }
    }

    /**
     * @param method what to run
     * @param maxIterations iterations of MEHA or BOME, or the L-BFGS budget of a baseline
     * @param evalEvery evaluate test accuracy and F1 every this many iterations (and at the end)
     * @param ridge the ridge weight of the lower level
     * @param meha MEHA's options
     * @param bome BOME's options
     * @param fitIterations the L-BFGS budget of the retraining
     * @param fitTolerance the relative gradient tolerance of the baselines and the retraining
     * @param precision the format of the training and validation products (test accuracy is always
     *     evaluated in double)
     */
    public record Settings(Method method, int maxIterations, int evalEvery, double ridge, MehaOptions meha,
            BomeOptions bome, int fitIterations, double fitTolerance, Precision precision) {

        /**
         * Validates.
         *
         * @param method what to run
         * @param maxIterations the iteration limit
         * @param evalEvery evaluate test accuracy and F1 every this many iterations (and at the end)
         * @param ridge the ridge weight of the lower level
         * @param meha MEHA's options
         * @param bome BOME's options
         * @param fitIterations the L-BFGS budget of the retraining
         * @param fitTolerance the relative gradient tolerance of the baselines and the retraining
         * @param precision the format of the training and validation products (test accuracy is always evaluated in double)
         */
        public Settings {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(precision, "precision");
            Objects.requireNonNull(meha, "meha");
            Objects.requireNonNull(bome, "bome");
            if (maxIterations < 1 || evalEvery < 1 || fitIterations < 1) {
                throw new IllegalArgumentException("iteration counts must be positive");
            }
            if (!(ridge >= 0) || !(fitTolerance >= 0)) {
                throw new IllegalArgumentException("ridge and fitTolerance must be nonnegative");
            }
        }

        /**
         * @param method the method
         * @return the method page's settings for a method (MEHA 2500 iterations, BOME 500, baselines 1000)
         */
        public static Settings standard(Method method) {
            int iters = switch (method) {
                case MEHA -> 2500;
                case BOME -> 500;
                case CLEAN_ONLY, ALL_DATA -> 1000;
            };
            return new Settings(method, iters, 50, 1e-3, mehaDefaults(), bomeDefaults(), 1000, 1e-6,
                    Precision.DOUBLE);
        }

        /**
         * @param n the iteration budget
         * @return these settings with another iteration budget
         */
        public Settings withMaxIterations(int n) {
            return new Settings(method, n, evalEvery, ridge, meha, bome, fitIterations, fitTolerance, precision);
        }

        /**
         * @param n the retraining budget
         * @return these settings with another retraining budget
         */
        public Settings withFitIterations(int n) {
            return new Settings(method, maxIterations, evalEvery, ridge, meha, bome, n, fitTolerance,
                    precision);
        }

        /**
         * @param o the MEHA options
         * @return these settings with other MEHA options
         */
        public Settings withMeha(MehaOptions o) {
            return new Settings(method, maxIterations, evalEvery, ridge, o, bome, fitIterations, fitTolerance,
                    precision);
        }

        /**
         * @param o the BOME options
         * @return these settings with other BOME options
         */
        public Settings withBome(BomeOptions o) {
            return new Settings(method, maxIterations, evalEvery, ridge, meha, o, fitIterations, fitTolerance,
                    precision);
        }

        /**
         * @param r the ridge weight
         * @return these settings with another ridge weight
         */
        public Settings withRidge(double r) {
            return new Settings(method, maxIterations, evalEvery, r, meha, bome, fitIterations, fitTolerance,
                    precision);
        }

        /**
         * @param p the precision of the products
         * @return these settings with another precision of the products
         */
        public Settings withPrecision(Precision p) {
            return new Settings(method, maxIterations, evalEvery, ridge, meha, bome, fitIterations, fitTolerance,
                    p);
        }

        /**
         * @param n the evaluation period in iterations
         * @return these settings with another evaluation period
         */
        public Settings withEvalEvery(int n) {
            return new Settings(method, maxIterations, n, ridge, meha, bome, fitIterations, fitTolerance,
                    precision);
        }
    }

    /**
     * The method page's MEHA settings for hyper-cleaning (tuned there on validation loss only): paper
     * form, {@code c0 = 0.2, p = 0.25, eta = 0.001, 1/gamma = 0.01, alpha = 1000} (the x-gradient
     * carries a {@code 1/n} factor) and {@code beta = 0.03}.
     *
     * @return the options
     */
    public static MehaOptions mehaDefaults() {
        return MehaOptions.builder().c0(0.2).p(0.25).eta(0.001).inverseGamma(0.01).alpha(1000).beta(0.03).build();
    }

    /**
     * BOME's settings for hyper-cleaning: {@code T = 10}, {@code eta = 0.5} (the paper's); inner step
     * 0.03, outer steps 3000 on x (its gradient carries the same {@code 1/n} factor as MEHA's) and 0.1
     * on y. The steps were picked by validation loss only, from a grid of seven, after 100 iterations
     * on a 2000 / 2000 FashionMNIST subset (seed 1).
     *
     * @return the options
     */
    public static BomeOptions bomeDefaults() {
        return new BomeOptions(10, 0.03, 3000, 0.1, 0.5);
    }

    /** One evaluation point of a run. */
    public record Checkpoint(int iteration, double seconds, double validationLoss, double testAccuracy, double f1) {
    }

    /**
     * What a run gave.
     *
     * @param method the method
     * @param iterations iterations done
     * @param seconds the solver's seconds (evaluations not counted)
     * @param stopReason why it stopped
     * @param testAccuracy the final classifier's test accuracy
     * @param f1 the final F1 of clean-sample detection (NaN for the baselines, which learn no weights)
     * @param validationLoss the final validation loss
     * @param retrainedAccuracy test accuracy of a classifier retrained on the learned weights (NaN for
     *     the baselines)
     * @param retrainIterations L-BFGS iterations of the retraining (0 for the baselines)
     * @param checkpoints the evaluations along the run
     * @param weights the learned {@code x} (null for the baselines)
     */
    public record Report(Method method, int iterations, double seconds, StopReason stopReason, double testAccuracy,
            double f1, double validationLoss, double retrainedAccuracy, int retrainIterations,
            List<Checkpoint> checkpoints, DMatrixRMaj weights) {

        /** @return milliseconds per iteration */
        public double millisPerIteration() {
            return iterations == 0 ? Double.NaN : 1000 * seconds / iterations;
        }
    }

    private HyperCleaning() {
    }

    /**
     * @param x the point x, not modified
     * @param clean per training sample, whether its label was left intact
     * @return the F1 score of clean-sample detection, {@code x_i >= 0} meaning clean
     */
    public static double f1(DMatrixRMaj x, boolean[] clean) {
        int flagged = 0;
        int hits = 0;
        int cleanCount = 0;
        for (int i = 0; i < clean.length; i++) {
            boolean f = x.data[i] >= 0;
            if (f) {
                flagged++;
            }
            if (clean[i]) {
                cleanCount++;
                if (f) {
                    hits++;
                }
            }
        }
        if (hits == 0) {
            return 0.0;
        }
        double precision = (double) hits / flagged;
        double recall = (double) hits / cleanCount;
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * Runs one method.
     *
     * @param progress receives every checkpoint as it is made (may be null)
     * @param data the data set
     * @param s the settings
     * @return the report of the run
     */
    public static Report run(CleaningDataset data, Settings s, Consumer<Checkpoint> progress) {
        SoftmaxModel test = new SoftmaxModel("test", data.testDesign(), data.testLabels(), data.classes(), 2,
                new ProductLog());
        Consumer<Checkpoint> sink = progress == null ? c -> {
        } : progress;
        return switch (s.method()) {
            case MEHA -> runBilevel(data, s, new Meha(s.meha()), test, sink);
            case BOME -> runBilevel(data, s, new Bome(s.bome()), test, sink);
            case CLEAN_ONLY, ALL_DATA -> runBaseline(data, s, test, sink);
        };
    }

    private static <S extends PairState> Report runBilevel(CleaningDataset data, Settings s,
            IterativeSolver<BilevelProblem, PairIterate, S> solver, SoftmaxModel test, Consumer<Checkpoint> sink) {
        HyperCleaningProblem problem = new HyperCleaningProblem(data, s.ridge(), s.precision());
        SolverOptions options = SolverOptions.builder().maxIterations(s.maxIterations()).build();
        S state = solver.init(problem, problem.start(), options);
        List<Checkpoint> cps = new ArrayList<>();
        Checkpoint c0 = new Checkpoint(0, 0.0, problem.upperValue(state.x(), state.y()), test.accuracy(state.y()),
                f1(state.x(), data.clean()));
        cps.add(c0);
        sink.accept(c0);
        double[] spent = {0.0};
        double[] lastSeconds = {0.0};
        IterationListener listener = new IterationListener() {
            @Override
            public void onIteration(IterationInfo info) {
                lastSeconds[0] = info.seconds() - spent[0];
                int k = info.iteration();
                if (k % s.evalEvery() != 0 && k != s.maxIterations()) {
                    return;
                }
                long t0 = System.nanoTime();
                Checkpoint c = new Checkpoint(k, info.seconds() - spent[0], info.get("F"), test.accuracy(state.y()),
                        f1(state.x(), data.clean()));
                cps.add(c);
                sink.accept(c);
                spent[0] += (System.nanoTime() - t0) * 1e-9;
            }
        };
        Result<PairIterate> r = Driver.run(solver, problem, state, options, listener);
        PairIterate sol = r.solution();
        double acc = test.accuracy(sol.y());
        double f1 = f1(sol.x(), data.clean());
        double vl = problem.validationModel().meanLoss(sol.y());
        if (cps.get(cps.size() - 1).iteration() != r.iterations()) {
            Checkpoint c = new Checkpoint(r.iterations(), lastSeconds[0], vl, acc, f1);
            cps.add(c);
            sink.accept(c);
        }
        double[] w = new double[sol.x().getNumElements()];
        for (int i = 0; i < w.length; i++) {
            w[i] = HyperCleaningProblem.sigmoid(sol.x().data[i]);
        }
        WeightedSoftmaxFit.Fit fit = WeightedSoftmaxFit.fit(problem.trainModel(), w, s.ridge(),
                new DMatrixRMaj(problem.yRows(), problem.yCols()), s.fitIterations(), s.fitTolerance(), null);
        double retrained = test.accuracy(fit.y());
        return new Report(s.method(), r.iterations(), lastSeconds[0], r.stopReason(), acc, f1, vl, retrained,
                fit.iterations(), cps, sol.x());
    }

    private static Report runBaseline(CleaningDataset data, Settings s, SoftmaxModel test,
            Consumer<Checkpoint> sink) {
        ProductLog log = new ProductLog();
        SoftmaxModel train = new SoftmaxModel("train", data.trainDesign(), data.trainLabels(), data.classes(), 2,
                log, s.precision());
        SoftmaxModel val = new SoftmaxModel("val", data.valDesign(), data.valLabels(), data.classes(), 2, log,
                s.precision());
        double[] w = new double[train.samples()];
        for (int i = 0; i < w.length; i++) {
            w[i] = s.method() == Method.ALL_DATA || data.clean()[i] ? 1.0 : 0.0;
        }
        List<Checkpoint> cps = new ArrayList<>();
        DMatrixRMaj y0 = new DMatrixRMaj(train.features(), data.classes());
        Checkpoint c0 = new Checkpoint(0, 0.0, val.meanLoss(y0), test.accuracy(y0), Double.NaN);
        cps.add(c0);
        sink.accept(c0);
        double[] spent = {0.0};
        long start = System.nanoTime();
        WeightedSoftmaxFit.Fit fit = WeightedSoftmaxFit.fit(train, w, s.ridge(), y0, s.maxIterations(),
                s.fitTolerance(), (k, y) -> {
                    if (k % s.evalEvery() != 0) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    double secs = (t0 - start) * 1e-9 - spent[0];
                    Checkpoint c = new Checkpoint(k, secs, val.meanLoss(y), test.accuracy(y), Double.NaN);
                    cps.add(c);
                    sink.accept(c);
                    spent[0] += (System.nanoTime() - t0) * 1e-9;
                });
        double seconds = (System.nanoTime() - start) * 1e-9 - spent[0];
        double acc = test.accuracy(fit.y());
        double vl = val.meanLoss(fit.y());
        if (cps.get(cps.size() - 1).iteration() != fit.iterations()) {
            Checkpoint c = new Checkpoint(fit.iterations(), seconds, vl, acc, Double.NaN);
            cps.add(c);
            sink.accept(c);
        }
        StopReason reason = fit.converged() ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS;
        return new Report(s.method(), fit.iterations(), seconds, reason, acc, Double.NaN, vl, Double.NaN, 0, cps,
                null);
    }
}
