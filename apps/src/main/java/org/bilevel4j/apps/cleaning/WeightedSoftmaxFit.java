package org.bilevel4j.apps.cleaning;

import java.util.ArrayDeque;
import java.util.Deque;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * Trains a weighted multinomial logistic regression to convergence: minimizes
 * <pre>
 *   f(y) = (1/n) sum_i w_i CE(y; a_i, b_i) + (ridge/2) ||W||^2
 * </pre>
 * (the hyper-cleaning lower level at fixed weights) by L-BFGS (Nocedal 1980; memory 10) with an
 * Armijo backtracking line search. Used for the sanity baselines (all data unweighted, clean samples
 * only) and to retrain a classifier on learned weights.
 */
public final class WeightedSoftmaxFit {

    /** Called after every iteration with the iteration number and the current parameter. */
    @FunctionalInterface
    public interface Observer {
        /**
         * Receives one iteration.
         *
         * @param iteration the iteration number
         * @param y the current parameter, a view: read it, do not keep it
         */
        void onIteration(int iteration, DMatrixRMaj y);
    }

    /**
     * The outcome of a fit.
     *
     * @param y the parameter
     * @param iterations L-BFGS iterations
     * @param gradientNorm the final gradient norm
     * @param value the final objective
     * @param converged whether the gradient test held
     */
    public record Fit(DMatrixRMaj y, int iterations, double gradientNorm, double value, boolean converged) {
    }

    private static final int MEMORY = 10;

    private WeightedSoftmaxFit() {
    }

    private static double objective(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj y) {
        double v = m.weightedLoss(w, 1.0 / m.samples(), y);
        int n = (y.numRows - 1) * y.numCols;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += y.data[i] * y.data[i];
        }
        return v + 0.5 * ridge * s;
    }

    private static void gradient(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj y, DMatrixRMaj g) {
        m.weightedGradient(w, 1.0 / m.samples(), y, g);
        int n = (y.numRows - 1) * y.numCols;
        for (int i = 0; i < n; i++) {
            g.data[i] += ridge * y.data[i];
        }
    }

    /**
     * @param model the training data
     * @param weights per-sample weights (nonnegative), or null for all ones
     * @param ridge the ridge weight on W
     * @param start the start (not modified)
     * @param maxIterations the budget
     * @param tolerance stop when {@code ||grad f|| <= tolerance max(1, ||grad f(start)||)}
     * @param observer called after each iteration, or null
     * @return the fitted weights and their history
     */
    public static Fit fit(SoftmaxModel model, double[] weights, double ridge, DMatrixRMaj start, int maxIterations,
            double tolerance, Observer observer) {
        double[] w = weights;
        if (w == null) {
            w = new double[model.samples()];
            java.util.Arrays.fill(w, 1.0);
        }
        DMatrixRMaj y = start.copy();
        DMatrixRMaj g = new DMatrixRMaj(y.numRows, y.numCols);
        DMatrixRMaj d = new DMatrixRMaj(y.numRows, y.numCols);
        DMatrixRMaj yTrial = new DMatrixRMaj(y.numRows, y.numCols);
        DMatrixRMaj gTrial = new DMatrixRMaj(y.numRows, y.numCols);
        Deque<DMatrixRMaj[]> memory = new ArrayDeque<>();
        double f = objective(model, w, ridge, y);
        gradient(model, w, ridge, y, g);
        double g0 = Math.sqrt(MatOps.normSq(g));
        double target = tolerance * Math.max(1.0, g0);
        int k = 0;
        double gn = g0;
        while (k < maxIterations && gn > target) {
            direction(g, memory, d);
            double slope = MatOps.dot(g, d);
            if (!(slope < 0)) {
                memory.clear();
                MatOps.combine(-1.0, g, 0.0, g, d);
                slope = -gn * gn;
            }
            double t = memory.isEmpty() ? Math.min(1.0, 1.0 / gn) : 1.0;
            double fTrial;
            int halvings = 0;
            while (true) {
                MatOps.combine(1.0, y, t, d, yTrial);
                fTrial = objective(model, w, ridge, yTrial);
                if (fTrial <= f + 1e-4 * t * slope || halvings >= 40) {
                    break;
                }
                t *= 0.5;
                halvings++;
            }
            gradient(model, w, ridge, yTrial, gTrial);
            DMatrixRMaj s = new DMatrixRMaj(y.numRows, y.numCols);
            DMatrixRMaj dg = new DMatrixRMaj(y.numRows, y.numCols);
            MatOps.combine(1.0, yTrial, -1.0, y, s);
            MatOps.combine(1.0, gTrial, -1.0, g, dg);
            if (MatOps.dot(s, dg) > 1e-12 * Math.sqrt(MatOps.normSq(s) * MatOps.normSq(dg))) {
                memory.addLast(new DMatrixRMaj[] {s, dg});
                if (memory.size() > MEMORY) {
                    memory.removeFirst();
                }
            }
            y.setTo(yTrial);
            g.setTo(gTrial);
            f = fTrial;
            gn = Math.sqrt(MatOps.normSq(g));
            k++;
            if (observer != null) {
                observer.onIteration(k, y);
            }
            if (halvings >= 40) {
                break;
            }
        }
        return new Fit(y, k, gn, f, gn <= target);
    }

    /** The L-BFGS two-loop recursion: {@code d = -H g} with the initial scaling {@code <s,dg>/<dg,dg>}. */
    private static void direction(DMatrixRMaj g, Deque<DMatrixRMaj[]> memory, DMatrixRMaj d) {
        d.setTo(g);
        int m = memory.size();
        double[] a = new double[m];
        DMatrixRMaj[][] pairs = memory.toArray(new DMatrixRMaj[0][]);
        for (int i = m - 1; i >= 0; i--) {
            double rho = 1.0 / MatOps.dot(pairs[i][0], pairs[i][1]);
            a[i] = rho * MatOps.dot(pairs[i][0], d);
            MatOps.combine(1.0, d, -a[i], pairs[i][1], d);
        }
        if (m > 0) {
            DMatrixRMaj[] last = pairs[m - 1];
            double gamma = MatOps.dot(last[0], last[1]) / MatOps.normSq(last[1]);
            MatOps.combine(gamma, d, 0.0, d, d);
        }
        for (int i = 0; i < m; i++) {
            double rho = 1.0 / MatOps.dot(pairs[i][0], pairs[i][1]);
            double b = rho * MatOps.dot(pairs[i][1], d);
            MatOps.combine(1.0, d, a[i] - b, pairs[i][0], d);
        }
        MatOps.combine(-1.0, d, 0.0, d, d);
    }
}
