package org.bilevel4j.function;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Indicator of the scaled simplex over all entries of the matrix,
 * {@code Delta_r = { X : X_ij >= 0, sum_ij X_ij = r }}, {@code r > 0}: {@code f(X) = 0} on
 * {@code Delta_r}, else {@code +infinity}.
 *
 * <p>Prox: for every {@code t} the Euclidean projection, {@code P(X)_ij = max(X_ij - theta, 0)}, where
 * the threshold {@code theta} solves {@code sum_ij max(X_ij - theta, 0) = r}. With the entries sorted
 * in decreasing order, {@code u_1 >= u_2 >= ... >= u_N}, and partial sums {@code s_k = u_1 + ... + u_k},
 * the support size is {@code rho = max{ k : u_k > (s_k - r) / k }} and
 * {@code theta = (s_rho - r) / rho}. Cost: one sort, O(N log N) for N entries.
 *
 * <p>Membership in {@link #value} allows rounding in the sum: {@code X} is in the set when every entry
 * is {@code >= 0} and {@code |sum_ij X_ij - r| <= SUM_TOLERANCE * r}.
 *
 * <p>References: M. Held, P. Wolfe, H. Crowder, <i>Validation of subgradient optimization</i>,
 * Math. Program. 6, 1974; J. Duchi, S. Shalev-Shwartz, Y. Singer, T. Chandra, <i>Efficient
 * projections onto the l1-ball for learning in high dimensions</i>, ICML 2008, Algorithm 1.
 */
public final class IndSimplex extends AbstractProxFunction {

    /**
     * Relative tolerance on {@code |sum X - r|} when deciding membership: summing N numbers in
     * floating point errs by up to about N eps relative, and the projection subtracts {@code theta}
     * from each entry, so an exact test would reject the projection's own output.
     */
    public static final double SUM_TOLERANCE = 1e-9;

    private final double radius;

    /** @param radius the sum r of the entries, finite and positive */
    public IndSimplex(double radius) {
        this.radius = requirePositive("radius", radius);
    }

    /** The probability simplex, {@code r = 1}. */
    public IndSimplex() {
        this(1.0);
    }

    /** @return the radius r (the sum of the entries) */
    public double radius() {
        return radius;
    }

    @Override
    public double value(DMatrixRMaj x) {
        double[] in = x.data;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            if (!(in[i] >= 0)) {
                return Double.POSITIVE_INFINITY;
            }
            s += in[i];
        }
        return Math.abs(s - radius) <= SUM_TOLERANCE * radius ? 0.0 : Double.POSITIVE_INFINITY;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        int n = x.getNumElements();
        if (n == 0) {
            throw new IllegalArgumentException("the simplex of an empty matrix is empty");
        }
        double theta = threshold(x.data, n, radius);
        double[] in = x.data;
        double[] o = out.data;
        for (int i = 0; i < n; i++) {
            o[i] = Math.max(in[i] - theta, 0.0);
        }
        return 0.0;
    }

    /** The threshold theta of the projection of the first n entries of {@code v} onto Delta_r. */
    static double threshold(double[] v, int n, double r) {
        double[] u = Arrays.copyOf(v, n);
        Arrays.sort(u); // ascending: u[n - k] is the k-th largest entry
        double partial = 0;
        double theta = 0;
        for (int k = 1; k <= n; k++) {
            double uk = u[n - k];
            double candidate = (partial + uk - r) / k;
            // the condition u_k > (s_k - r) / k holds exactly for k = 1..rho
            if (!(uk > candidate)) {
                break;
            }
            partial += uk;
            theta = candidate;
        }
        return theta;
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSetIndicator() {
        return true;
    }

    @Override
    public String toString() {
        return "IndSimplex(" + radius + ")";
    }
}
