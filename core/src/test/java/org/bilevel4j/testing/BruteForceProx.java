package org.bilevel4j.testing;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bilevel4j.function.ProxFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * Slow numerical minimization of the prox objective {@code phi(v) = f(v) + ||v - x||_F^2 / (2t)} on
 * small inputs, as a reference that knows nothing of how an operator computes its prox. Only
 * {@link ProxFunction#value} of the function is used.
 *
 * <p>Two methods: {@link #separable} for functions that are sums over entries (the objective then
 * decouples, so each entry is minimized on its own by a zooming grid search, exact up to the flatness
 * of {@code phi} at its minimum), and {@link #nelderMead} for the others (Nelder–Mead with restarts,
 * which copes with nonsmooth objectives and with {@code +infinity} outside a convex domain when
 * started inside it). Both are meant for convex {@code f}, where {@code phi} is
 * {@code 1/t}-strongly convex and has one minimizer. Accuracy: the grid search reaches about
 * {@code sqrt(eps)} relative; Nelder–Mead about 1e-8 on smooth objectives and, on nonsmooth ones of
 * up to 6 entries (the nuclear norm, whose minimizer sits on a kink), about 1e-6.
 */
public final class BruteForceProx {

    private static final int GRID = 41;
    private static final int ZOOMS = 40;
    private static final long RESTART_SEED = 7L;

    private BruteForceProx() {
    }

    /** @return {@code phi(v) = f(v) + ||v - x||_F^2 / (2t)} */
    public static double objective(ProxFunction f, DMatrixRMaj v, DMatrixRMaj x, double t) {
        double fv = f.value(v);
        if (fv == Double.POSITIVE_INFINITY) {
            return fv;
        }
        double s = 0;
        for (int i = 0; i < v.getNumElements(); i++) {
            double d = v.data[i] - x.data[i];
            s += d * d;
        }
        return fv + s / (2 * t);
    }

    /**
     * Minimizes {@code phi} one entry at a time for a separable {@code f}. Entry i is searched on
     * {@code [x_i - radius, x_i + radius]}: a grid of 41 points plus the base point's entry, then
     * repeated zooms onto the two grid cells beside the best point; for a convex one-dimensional
     * objective the minimizer always lies in those two cells.
     *
     * @param base a point where {@code f} is finite; the other entries are held there while one entry
     *     is searched (for a separable {@code f} the result does not depend on it)
     * @param radius half-width of the search interval of every entry
     * @return the minimizer found
     * @throws AssertionError if no point of the domain is found
     */
    public static DMatrixRMaj separable(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj base,
            double radius) {
        if (!(f.value(base) < Double.POSITIVE_INFINITY)) {
            throw new AssertionError("brute force needs a base point in the domain of " + f);
        }
        DMatrixRMaj v = base.copy();
        DMatrixRMaj result = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.getNumElements(); i++) {
            result.data[i] = minimizeEntry(f, x, t, v, i, radius);
            v.data[i] = base.data[i];
        }
        return result;
    }

    private static double minimizeEntry(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj v, int i,
            double radius) {
        double lo = x.data[i] - radius;
        double hi = x.data[i] + radius;
        double best = v.data[i];
        double bestValue = entryObjective(f, x, t, v, i, best);
        for (int zoom = 0; zoom < ZOOMS && hi > lo; zoom++) {
            double h = (hi - lo) / (GRID - 1);
            for (int k = 0; k < GRID; k++) {
                double s = k == GRID - 1 ? hi : lo + k * h;
                double value = entryObjective(f, x, t, v, i, s);
                if (value < bestValue) {
                    bestValue = value;
                    best = s;
                }
            }
            double nlo = Math.max(lo, best - h);
            double nhi = Math.min(hi, best + h);
            if (nlo == lo && nhi == hi) {
                break;
            }
            lo = nlo;
            hi = nhi;
        }
        if (bestValue == Double.POSITIVE_INFINITY) {
            throw new AssertionError("brute force found no point of the domain of " + f + " for entry " + i);
        }
        return best;
    }

    private static double entryObjective(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj v, int i,
            double s) {
        v.data[i] = s;
        return objective(f, v, x, t);
    }

    /**
     * Minimizes {@code phi} by Nelder–Mead over all entries, restarting from the best vertex with a
     * smaller simplex until a restart no longer improves.
     *
     * @param start a point where {@code f} is finite
     * @param initialStep the edge length of the first simplex
     * @return the minimizer found
     */
    public static DMatrixRMaj nelderMead(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj start,
            double initialStep) {
        if (!(f.value(start) < Double.POSITIVE_INFINITY)) {
            throw new AssertionError("Nelder-Mead needs a start in the domain of " + f);
        }
        int n = x.getNumElements();
        DMatrixRMaj probe = new DMatrixRMaj(x.numRows, x.numCols);
        double[] best = Arrays.copyOf(start.data, n);
        double bestValue = evaluate(f, x, t, probe, best);
        double step = initialStep;
        RandomGenerator rng = TestMatrices.rng(RESTART_SEED);
        int failures = 0;
        for (int restart = 0; restart < 400 && failures < 10 && step > 1e-15 * (1 + maxAbs(best)); restart++) {
            double before = bestValue;
            double[] previous = best.clone();
            bestValue = simplexSearch(f, x, t, probe, best, bestValue, step, rng);
            if (before - bestValue > 0) {
                // the next simplex spans the distance just travelled: along a curved kink the search
                // keeps moving instead of shrinking onto the first point of the kink it met
                failures = 0;
                step = Math.max(0.5 * step, 4 * distance(previous, best));
            } else {
                failures++;
                step *= 0.3;
            }
        }
        return DMatrixRMaj.wrap(x.numRows, x.numCols, best);
    }

    /**
     * One Nelder–Mead run from {@code best} (modified: receives the best vertex). The first simplex
     * has randomly oriented edges, so that successive restarts probe new directions: an axis-aligned
     * simplex can stall on a kink of a nonsmooth objective.
     */
    private static double simplexSearch(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj probe,
            double[] best, double bestValue, double step, RandomGenerator rng) {
        int n = best.length;
        double[][] p = new double[n + 1][];
        double[] y = new double[n + 1];
        p[0] = best.clone();
        y[0] = bestValue;
        for (int j = 1; j <= n; j++) {
            double[] d = new double[n];
            double norm = 0;
            for (int k = 0; k < n; k++) {
                d[k] = rng.nextGaussian();
                norm += d[k] * d[k];
            }
            norm = Math.sqrt(norm);
            p[j] = best.clone();
            for (int k = 0; k < n; k++) {
                p[j][k] += step * d[k] / norm;
            }
            y[j] = evaluate(f, x, t, probe, p[j]);
            if (y[j] == Double.POSITIVE_INFINITY) { // try the other side of the domain boundary
                for (int k = 0; k < n; k++) {
                    p[j][k] -= 2 * step * d[k] / norm;
                }
                y[j] = evaluate(f, x, t, probe, p[j]);
            }
        }
        // adaptive coefficients of Gao and Han (2012), which keep the simplex from degenerating in
        // more than two dimensions: expansion 1 + 2/n, contraction 3/4 - 1/(2n), shrink 1 - 1/n
        double expansion = 1 + 2.0 / n;
        double contraction = 0.75 - 0.5 / n;
        double shrink = n > 1 ? 1 - 1.0 / n : 0.5;
        double[] centroid = new double[n];
        double[] trial = new double[n];
        double[] trial2 = new double[n];
        for (int it = 0; it < 400 * n; it++) {
            sort(p, y);
            double spread = 0;
            for (int j = 1; j <= n; j++) {
                for (int k = 0; k < n; k++) {
                    spread = Math.max(spread, Math.abs(p[j][k] - p[0][k]));
                }
            }
            if (spread <= 1e-12 * (1 + maxAbs(p[0]))) {
                break;
            }
            Arrays.fill(centroid, 0);
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    centroid[k] += p[j][k] / n;
                }
            }
            double[] worst = p[n];
            affine(centroid, worst, 1.0, trial); // reflection c + (c - w)
            double yr = evaluate(f, x, t, probe, trial);
            if (yr < y[0]) {
                affine(centroid, worst, expansion, trial2);
                double ye = evaluate(f, x, t, probe, trial2);
                if (ye < yr) {
                    accept(p, y, n, trial2, ye);
                } else {
                    accept(p, y, n, trial, yr);
                }
            } else if (yr < y[n - 1]) {
                accept(p, y, n, trial, yr);
            } else {
                boolean outside = yr < y[n];
                affine(centroid, worst, outside ? contraction : -contraction, trial2); // outside / inside
                double yc = evaluate(f, x, t, probe, trial2);
                if (yc < (outside ? yr : y[n])) {
                    accept(p, y, n, trial2, yc);
                } else { // shrink towards the best vertex
                    for (int j = 1; j <= n; j++) {
                        for (int k = 0; k < n; k++) {
                            p[j][k] = p[0][k] + shrink * (p[j][k] - p[0][k]);
                        }
                        y[j] = evaluate(f, x, t, probe, p[j]);
                    }
                }
            }
        }
        sort(p, y);
        System.arraycopy(p[0], 0, best, 0, n);
        return y[0];
    }

    private static void affine(double[] c, double[] w, double coef, double[] out) {
        for (int k = 0; k < c.length; k++) {
            out[k] = c[k] + coef * (c[k] - w[k]);
        }
    }

    private static void accept(double[][] p, double[] y, int j, double[] point, double value) {
        System.arraycopy(point, 0, p[j], 0, point.length);
        y[j] = value;
    }

    private static void sort(double[][] p, double[] y) {
        for (int a = 1; a < y.length; a++) { // insertion sort: n is small
            double yv = y[a];
            double[] pv = p[a];
            int b = a - 1;
            while (b >= 0 && y[b] > yv) {
                y[b + 1] = y[b];
                p[b + 1] = p[b];
                b--;
            }
            y[b + 1] = yv;
            p[b + 1] = pv;
        }
    }

    private static double evaluate(ProxFunction f, DMatrixRMaj x, double t, DMatrixRMaj probe, double[] v) {
        System.arraycopy(v, 0, probe.data, 0, v.length);
        double value = objective(f, probe, x, t);
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double a : v) {
            m = Math.max(m, Math.abs(a));
        }
        return m;
    }
}
