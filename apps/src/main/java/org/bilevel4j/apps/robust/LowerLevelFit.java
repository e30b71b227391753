package org.bilevel4j.apps.robust;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Objects;
import org.bilevel4j.function.IndSimplex;
import org.ejml.data.DMatrixRMaj;

/**
 * Trains the linear softmax model of the group-DRO experiment to a gradient norm: minimizes over W
 * <pre>
 *   weighted:   g(W) = sum_k c_k L_k(W) + (lam/2) ||W||_F^2                       (ERM, class-balanced)
 *   group DRO:  g(W) = max_{q in Delta} sum_k q_k (L_k(W) + a_k) - (tau/2) ||q - u0||^2 + (lam/2) ||W||_F^2
 * </pre>
 * The inner maximum has the closed form {@code q*(W) = Pi_Delta(u0 + (L(W) + a) / tau)} (Euclidean
 * projection onto the simplex), so by Danskin's theorem g is smooth with
 * {@code grad g = sum_k q*_k grad L_k + lam W}, and the group-DRO saddle point (the lower level of the
 * bilevel problem at the shifts a; a = 0 is plain group DRO) is {@code (W*, q*(W*))} with
 * {@code W* = argmin g}. Method: L-BFGS (memory 10) with Armijo backtracking, stopped when
 * {@code ||grad g||_F <= tol}. The domain box {@code [-20, 20]^{D x K}} of the bilevel problem is not
 * enforced; {@link Fit#maxAbs()} reports whether the minimizer lies inside it (then it is the box-
 * constrained minimizer too, g being convex).
 */
public final class LowerLevelFit {

    private static final int MEMORY = 10;
    /** Consecutive iterations without a decrease above rounding after which L-BFGS gives up. */
    private static final int STALL = 20;

    private LowerLevelFit() {
    }

    /**
     * A training objective.
     *
     * @param name a short label
     * @param weights fixed class weights c_k, or null for group DRO
     * @param tau the group-DRO regularization tau (ignored for fixed weights)
     * @param shift the per-class loss shifts a_k of group DRO (zeros for plain group DRO)
     */
    public record Objective(String name, double[] weights, double tau, double[] shift) {
        /**
         * Validates; copies the arrays.
         *
         * @param name a short label, not null
         * @param weights fixed class weights c_k, or null for group DRO
         * @param tau the group-DRO regularization tau, positive and finite when weights is null
         * @param shift the per-class loss shifts a_k, not null when weights is null
         * @throws IllegalArgumentException for group DRO (null weights) with a bad tau or null shifts
         */
        public Objective {
            Objects.requireNonNull(name, "name");
            if (weights == null && !(tau > 0 && Double.isFinite(tau))) {
                throw new IllegalArgumentException("tau must be positive and finite, got " + tau);
            }
            if (weights == null && shift == null) {
                throw new IllegalArgumentException("group DRO needs shifts (zeros for plain group DRO)");
            }
            weights = weights == null ? null : weights.clone();
            shift = shift == null ? null : shift.clone();
        }

        /**
         * @param train the training losses (for the class counts n_k)
         * @return empirical risk minimization: {@code c_k = n_k / n}
         */
        public static Objective erm(ClassLosses train) {
            double[] c = new double[train.classes()];
            for (int k = 0; k < c.length; k++) {
                c[k] = (double) train.count(k) / train.samples();
            }
            return new Objective("ERM", c, Double.NaN, null);
        }

        /**
         * @param classes K, the number of classes
         * @return class-balanced reweighting: {@code c_k = 1 / K}
         */
        public static Objective balanced(int classes) {
            double[] c = new double[classes];
            Arrays.fill(c, 1.0 / classes);
            return new Objective("class-balanced", c, Double.NaN, null);
        }

        /**
         * @param name a short label
         * @param tau the regularization tau, positive and finite
         * @param shift the per-class loss shifts a_k (zeros for plain group DRO), length K
         * @return group DRO with regularization tau and shifts a
         */
        public static Objective groupDro(String name, double tau, double[] shift) {
            return new Objective(name, null, tau, shift);
        }

        /** The class weights at losses L: fixed, or {@code Pi_Delta(u0 + (L + a) / tau)}. Modified: out. */
        void weightsAt(double[] losses, double[] out) {
            int k = losses.length;
            if (weights != null) {
                System.arraycopy(weights, 0, out, 0, k);
                return;
            }
            for (int j = 0; j < k; j++) {
                out[j] = 1.0 / k + (losses[j] + shift[j]) / tau;
            }
            projectSimplex(out);
        }

        /** The value of the loss part at losses L and its weights c (from {@link #weightsAt}). */
        double lossPart(double[] losses, double[] c) {
            int k = losses.length;
            double v = 0;
            if (weights != null) {
                for (int j = 0; j < k; j++) {
                    v += c[j] * losses[j];
                }
                return v;
            }
            double reg = 0;
            for (int j = 0; j < k; j++) {
                v += c[j] * (losses[j] + shift[j]);
                double d = c[j] - 1.0 / k;
                reg += d * d;
            }
            return v - 0.5 * tau * reg;
        }
    }

    /** Projects v onto the probability simplex in place (Euclidean). */
    static void projectSimplex(double[] v) {
        DMatrixRMaj m = DMatrixRMaj.wrap(v.length, 1, v);
        SIMPLEX.prox(m, 1.0, m);
    }

    private static final IndSimplex SIMPLEX = new IndSimplex();

    /**
     * The outcome of a fit.
     *
     * @param w the parameter W (D x K)
     * @param weights the class weights at W (c, or q*(W) for group DRO)
     * @param trainLosses L_k(W)
     * @param value g(W)
     * @param gradientNorm {@code ||grad g(W)||_F}
     * @param iterations L-BFGS iterations
     * @param gradientCalls evaluations of g and its gradient
     * @param converged whether the gradient test held
     * @param seconds wall time
     */
    public record Fit(DMatrixRMaj w, double[] weights, double[] trainLosses, double value, double gradientNorm,
            int iterations, long gradientCalls, boolean converged, double seconds) {

        /** @return {@code max |W_ij|} (the bilevel problem's box is [-20, 20]) */
        public double maxAbs() {
            double m = 0;
            for (int i = 0; i < w.getNumElements(); i++) {
                m = Math.max(m, Math.abs(w.data[i]));
            }
            return m;
        }
    }

    /** Evaluations of g. */
    private static final class Eval {
        final ClassLosses model;
        final Objective obj;
        final double lambda;
        final double[] losses;
        final double[] c;
        long calls;

        Eval(ClassLosses model, Objective obj, double lambda) {
            this.model = model;
            this.obj = obj;
            this.lambda = lambda;
            losses = new double[model.classes()];
            c = new double[model.classes()];
        }

        double valueAndGradient(DMatrixRMaj w, DMatrixRMaj g) {
            calls++;
            model.lossesAndGradient(w, obj::weightsAt, losses, c, g);
            double sq = 0;
            for (int i = 0; i < w.getNumElements(); i++) {
                sq += w.data[i] * w.data[i];
                g.data[i] += lambda * w.data[i];
            }
            return obj.lossPart(losses, c) + 0.5 * lambda * sq;
        }
    }

    /** A smooth function of W (D x K) with its gradient. */
    @FunctionalInterface
    public interface Smooth {
        /**
         * @param w the point, D x K
         * @param g modified: receives the gradient at w, D x K
         * @return the value at w; writes the gradient into g. Modified: g. Not modified: w.
         */
        double valueAndGradient(DMatrixRMaj w, DMatrixRMaj g);
    }

    /**
     * The result of {@link #minimize}.
     *
     * @param w the minimizer found
     * @param value the value there
     * @param gradientNorm the gradient norm there
     * @param iterations L-BFGS iterations
     * @param calls function evaluations
     */
    public record Minimum(DMatrixRMaj w, double value, double gradientNorm, int iterations, long calls) {
    }

    /**
     * Minimizes g from a start.
     *
     * @param train the training losses
     * @param objective what to minimize
     * @param lambda the ridge weight lam, positive
     * @param start the start W (not modified), or null for zeros
     * @param tol the gradient-norm target, positive
     * @param maxIterations the L-BFGS budget
     * @return the fit: W, the class weights and losses at W, the value, gradient norm, counts, whether
     *     the gradient norm reached tol, and the time in seconds
     * @throws IllegalArgumentException when lambda is not positive
     */
    public static Fit fit(ClassLosses train, Objective objective, double lambda, DMatrixRMaj start, double tol,
            int maxIterations) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        long t0 = System.nanoTime();
        Eval e = new Eval(train, objective, lambda);
        DMatrixRMaj w0 = start == null ? new DMatrixRMaj(train.dimension(), train.classes()) : start;
        Minimum m = minimize(e::valueAndGradient, w0, tol, maxIterations);
        // losses and weights at the final W
        e.valueAndGradient(m.w(), new DMatrixRMaj(m.w().numRows, m.w().numCols));
        return new Fit(m.w(), e.c.clone(), e.losses.clone(), m.value(), m.gradientNorm(), m.iterations(),
                m.calls() + 1, m.gradientNorm() <= tol, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * Minimizes a smooth function by L-BFGS (memory 10) with Armijo backtracking until
     * {@code ||grad|| <= tol}, the budget is spent, the line search fails, or 20 consecutive steps
     * decrease the value by no more than rounding ({@code 1e-15 max(1, |f|)}); the caller compares the
     * returned gradient norm with tol.
     *
     * @param f the function
     * @param start the start (not modified)
     * @param tol the gradient-norm target
     * @param maxIterations the budget
     * @return the last iterate with its value, gradient norm, iterations and evaluations
     */
    public static Minimum minimize(Smooth f, DMatrixRMaj start, double tol, int maxIterations) {
        long[] calls = {0};
        Smooth counted = (x, gg) -> {
            calls[0]++;
            return f.valueAndGradient(x, gg);
        };
        int d = start.numRows;
        int kk = start.numCols;
        DMatrixRMaj w = start.copy();
        DMatrixRMaj g = new DMatrixRMaj(d, kk);
        DMatrixRMaj dir = new DMatrixRMaj(d, kk);
        DMatrixRMaj wt = new DMatrixRMaj(d, kk);
        DMatrixRMaj gt = new DMatrixRMaj(d, kk);
        Deque<double[][]> mem = new ArrayDeque<>();
        double fv = counted.valueAndGradient(w, g);
        double gn = norm(g.data);
        int it = 0;
        int stalled = 0;
        int n = w.getNumElements();
        while (gn > tol && it < maxIterations) {
            direction(g.data, mem, dir.data);
            double slope = dot(g.data, dir.data);
            if (!(slope < 0)) {
                mem.clear();
                for (int i = 0; i < n; i++) {
                    dir.data[i] = -g.data[i];
                }
                slope = -gn * gn;
            }
            double step = mem.isEmpty() ? Math.min(1.0, 1.0 / gn) : 1.0;
            double ft = 0;
            boolean accepted = false;
            for (int bt = 0; bt < 60; bt++) {
                for (int i = 0; i < n; i++) {
                    wt.data[i] = w.data[i] + step * dir.data[i];
                }
                ft = counted.valueAndGradient(wt, gt);
                if (Double.isFinite(ft) && ft <= fv + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = wt.data[i] - w.data[i];
                y[i] = gt.data[i] - g.data[i];
            }
            if (dot(s, y) > 1e-16 * norm(s) * norm(y)) {
                mem.addFirst(new double[][] {s, y});
                if (mem.size() > MEMORY) {
                    mem.removeLast();
                }
            }
            DMatrixRMaj tmp = w;
            w = wt;
            wt = tmp;
            tmp = g;
            g = gt;
            gt = tmp;
            stalled = fv - ft <= 1e-15 * Math.max(1.0, Math.abs(fv)) ? stalled + 1 : 0;
            fv = ft;
            gn = norm(g.data);
            it++;
            if (stalled >= STALL) {
                break;
            }
        }
        return new Minimum(w, fv, gn, it, calls[0]);
    }

    /** Two-loop recursion: dir = -H g. Memory entries are (s, y), newest first. */
    private static void direction(double[] g, Deque<double[][]> mem, double[] dir) {
        int n = g.length;
        System.arraycopy(g, 0, dir, 0, n);
        double[] alpha = new double[mem.size()];
        int j = 0;
        for (double[][] sy : mem) {
            double rho = 1.0 / dot(sy[1], sy[0]);
            alpha[j] = rho * dot(sy[0], dir);
            for (int i = 0; i < n; i++) {
                dir[i] -= alpha[j] * sy[1][i];
            }
            j++;
        }
        if (!mem.isEmpty()) {
            double[][] sy = mem.peekFirst();
            double gamma = dot(sy[0], sy[1]) / dot(sy[1], sy[1]);
            for (int i = 0; i < n; i++) {
                dir[i] *= gamma;
            }
        }
        j = mem.size() - 1;
        var it = mem.descendingIterator();
        while (it.hasNext()) {
            double[][] sy = it.next();
            double rho = 1.0 / dot(sy[1], sy[0]);
            double beta = rho * dot(sy[1], dir);
            for (int i = 0; i < n; i++) {
                dir[i] += (alpha[j] - beta) * sy[0][i];
            }
            j--;
        }
        for (int i = 0; i < n; i++) {
            dir[i] = -dir[i];
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
