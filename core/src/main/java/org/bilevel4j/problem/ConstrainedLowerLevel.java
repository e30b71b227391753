package org.bilevel4j.problem;

import java.util.Objects;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * A convex lower level with inequality constraints,
 * <pre>
 *   min_{z in Z} { fb(x, z) : gb(x, z) &lt;= 0 },   gb = (gb_1, ..., gb_k),
 * </pre>
 * fb and every gb_i convex in z, Z a compact box, x in a compact box X. Given a Slater point
 * {@code z_s} in Z (strictly feasible for every x in X) it turns itself into the saddle template of
 * {@link MinimaxBilevelProblem} by Lagrangian duality [1, Sec. on constrained lower levels]:
 * <pre>
 *   min_{y in Z} max_{lambda in Lambda}  ft(x, y, lambda) = fb(x, y) + &lt;lambda, gb(x, y)&gt;,
 * </pre>
 * i.e. the template with {@code y1 = y} and {@code y2 = lambda}. The paper takes
 * {@code Lambda = {lambda >= 0, ||lambda||_1 <= B}} with B above the Slater bound
 * {@code (fb(x, z_s) - min fb) / G} (see {@link MultiplierBound}). This class uses the box
 * {@code [0, B]^k}, which contains that set (so it still contains every optimal multiplier) and keeps
 * the per-coordinate steps of the solvers valid; over the box,
 * {@code max_lambda ft = fb + B sum_i max(gb_i, 0)}, an exact penalty since {@code B > ||lambda*||_inf}.
 *
 * <p>How the bound is computed: the margin {@code G = min_x min_i -gb_i(x, z_s)} and the largest
 * {@code fb(x, z_s)} are taken over the vertices of X (when X has at most 10 coordinates), its center
 * and 64 seeded random points; these extremes are exact when fb and gb are convex in x (the maximum of
 * a convex function over a box sits at a vertex). The lower bound on {@code min_z fb(x, z)} is the
 * larger of the one the user supplies and the linearization at the Slater point,
 * {@code fb(x, z_s) + sum_j min(d_j (l_j - z_s_j), d_j (u_j - z_s_j))}, {@code d = grad_z fb(x, z_s)},
 * which is valid by convexity in z. The cap B defaults to 1.25 times the bound.
 *
 * <p>Reference: [1] Shen, He, Wang, Lin, arXiv:2605.08006, 2026.
 *
 * <p>Thread-safety: immutable; as safe to share as its objective and constraint functions.
 */
public final class ConstrainedLowerLevel {

    /** The objective {@code fb(x, z)}, smooth and convex in z. Not modified: x, z. */
    public interface Objective {

        /**
         * @param x the point x, not modified
         * @param z the lower-level point z, not modified
         * @return {@code fb(x, z)}
         */
        double value(DMatrixRMaj x, DMatrixRMaj z);

        /**
         * Writes {@code grad_x fb} and {@code grad_z fb}. Modified: gx, gz.
         *
         * @return {@code fb(x, z)}
         * @param x the point x, not modified
         * @param z the lower-level point z, not modified
         * @param gx modified: receives {@code grad_x fb}
         * @param gz modified: receives {@code grad_z fb}
         */
        double valueAndGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj gx, DMatrixRMaj gz);
    }

    /** The constraints {@code gb(x, z) <= 0}, each smooth and convex in z. Not modified: x, z, lambda. */
    public interface Constraints {

        /** @return k, the number of constraints */
        int count();

        /**
         * Writes {@code gb(x, z)} (k x 1). Modified: out.
         *
         * @param x the point x, not modified
         * @param z the lower-level point z, not modified
         * @param out modified: receives the result
         */
        void values(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj out);

        /**
         * Adds the multiplier-weighted gradients: {@code gx += sum_i lambda_i grad_x gb_i(x, z)},
         * {@code gz += sum_i lambda_i grad_z gb_i(x, z)}. Modified: gx, gz.
         *
         * @param x the point x, not modified
         * @param z the lower-level point z, not modified
         * @param lambda the multipliers (k x 1), not modified
         * @param gx modified: the x gradient, added to
         * @param gz modified: the z gradient, added to
         */
        void addWeightedGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj lambda, DMatrixRMaj gx, DMatrixRMaj gz);
    }

    private static final int MAX_VERTEX_DIMENSION = 10;
    private static final int RANDOM_POINTS = 64;
    private static final long CHECK_SEED = 0x5eedL;

    private final Box xDomain;
    private final Box zDomain;
    private final Objective fb;
    private final Constraints gb;
    private final DMatrixRMaj slaterPoint;
    private final MultiplierBound bound;
    private final Box multiplierDomain;

    private ConstrainedLowerLevel(Builder b) {
        this.xDomain = b.xDomain;
        this.zDomain = b.zDomain;
        this.fb = b.fb;
        this.gb = b.gb;
        if (gb.count() < 1) {
            throw new IllegalArgumentException("a constrained lower level needs at least one constraint, got "
                    + gb.count());
        }
        if (b.slaterPoint == null) {
            throw new IllegalArgumentException("a Slater point (strictly feasible for every x) is required");
        }
        if (b.slaterPoint.getNumElements() != zDomain.dimension()) {
            throw new IllegalArgumentException("Slater point has " + b.slaterPoint.getNumElements()
                    + " entries, Z has " + zDomain.dimension() + " coordinates");
        }
        this.slaterPoint = new DMatrixRMaj(zDomain.dimension(), 1);
        System.arraycopy(b.slaterPoint.data, 0, slaterPoint.data, 0, zDomain.dimension());
        if (!zDomain.contains(slaterPoint)) {
            throw new IllegalArgumentException("no strictly feasible point: the Slater point lies outside Z = "
                    + zDomain);
        }
        if (!Double.isNaN(b.margin) && !(b.margin > 0 && Double.isFinite(b.margin))) {
            throw new IllegalArgumentException("Slater margin must be positive and finite, got " + b.margin);
        }
        if (!Double.isNaN(b.cap) && !(b.cap > 0 && Double.isFinite(b.cap))) {
            throw new IllegalArgumentException("multiplier cap must be positive and finite, got " + b.cap);
        }
        this.bound = computeBound(b.margin, b.objectiveLowerBound, b.cap);
        this.multiplierDomain = Box.cube(gb.count(), 0.0, bound.cap());
    }

    private MultiplierBound computeBound(double userMargin, double userLower, double userCap) {
        int nx = xDomain.dimension();
        int nz = zDomain.dimension();
        int k = gb.count();
        DMatrixRMaj x = new DMatrixRMaj(nx, 1);
        DMatrixRMaj g = new DMatrixRMaj(k, 1);
        DMatrixRMaj gx = new DMatrixRMaj(nx, 1);
        DMatrixRMaj gz = new DMatrixRMaj(nz, 1);
        boolean vertices = nx <= MAX_VERTEX_DIMENSION;
        int nVert = vertices ? 1 << nx : 0;
        int total = nVert + 1 + RANDOM_POINTS;
        SplittableRandom rnd = new SplittableRandom(CHECK_SEED);
        double margin = Double.POSITIVE_INFINITY;
        double fsMax = Double.NEGATIVE_INFINITY;
        double lowMin = Double.POSITIVE_INFINITY;
        double[] fs = new double[total];
        double[] low = new double[total];
        double[] marg = new double[total];
        for (int p = 0; p < total; p++) {
            for (int j = 0; j < nx; j++) {
                double lo = xDomain.lower(j);
                double hi = xDomain.upper(j);
                if (p < nVert) {
                    x.data[j] = ((p >> j) & 1) == 0 ? lo : hi;
                } else if (p == nVert) {
                    x.data[j] = 0.5 * (lo + hi);
                } else {
                    x.data[j] = lo + (hi - lo) * rnd.nextDouble();
                }
            }
            gb.values(x, slaterPoint, g);
            double m = Double.POSITIVE_INFINITY;
            int worst = 0;
            for (int i = 0; i < k; i++) {
                if (-g.data[i] < m) {
                    m = -g.data[i];
                    worst = i;
                }
            }
            if (!(m > 0)) {
                throw new IllegalArgumentException("no strictly feasible point: gb_" + worst + "(x, z_s) = "
                        + g.data[worst] + " >= 0 at x = " + vec(x) + "; Slater's condition needs gb(x, z_s) < 0"
                        + " for every x in X");
            }
            double f = fb.valueAndGradient(x, slaterPoint, gx, gz);
            double lin = f;
            for (int j = 0; j < nz; j++) {
                double d = gz.data[j];
                lin += Math.min(d * (zDomain.lower(j) - slaterPoint.data[j]),
                        d * (zDomain.upper(j) - slaterPoint.data[j]));
            }
            double lb = Double.isNaN(userLower) ? lin : Math.max(lin, userLower);
            if (!Double.isFinite(f) || !Double.isFinite(lb)) {
                throw new IllegalArgumentException("fb or its gradient is not finite at the Slater point for x = "
                        + vec(x));
            }
            fs[p] = f;
            low[p] = lb;
            marg[p] = m;
            margin = Math.min(margin, m);
            fsMax = Math.max(fsMax, f);
            lowMin = Math.min(lowMin, lb);
        }
        if (!Double.isNaN(userMargin) && userMargin > margin) {
            throw new IllegalArgumentException("the supplied Slater margin " + userMargin
                    + " exceeds the measured margin " + margin + " of the Slater point");
        }
        double bnd = 0;
        for (int p = 0; p < total; p++) {
            double gp = Double.isNaN(userMargin) ? marg[p] : userMargin;
            bnd = Math.max(bnd, Math.max(0.0, fs[p] - low[p]) / gp);
        }
        double usedMargin = Double.isNaN(userMargin) ? margin : userMargin;
        double cap;
        if (Double.isNaN(userCap)) {
            cap = bnd > 0 ? 1.25 * bnd : 1.0;
        } else {
            if (userCap < bnd) {
                throw new IllegalArgumentException("multiplier cap B = " + userCap + " is below the Slater bound "
                        + bnd + " on the multipliers");
            }
            cap = userCap;
        }
        return new MultiplierBound(usedMargin, fsMax, lowMin, bnd, cap, total, vertices);
    }

    private static String vec(DMatrixRMaj v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.getNumElements(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(v.data[i]);
        }
        return sb.append(']').toString();
    }

    /**
     * @param xDomain X, where the upper level's x1 lives
     * @param zDomain Z, the box of the lower-level variable
     * @param fb the objective
     * @param gb the constraints
     * @return a builder; set at least the Slater point
     */
    public static Builder builder(Box xDomain, Box zDomain, Objective fb, Constraints gb) {
        return new Builder(xDomain, zDomain, fb, gb);
    }

    /** @return the multiplier bound and the cap in use */
    public MultiplierBound multiplierBound() {
        return bound;
    }

    /** @return the multiplier box {@code [0, B]^k} (the y2 domain of the dual template) */
    public Box multiplierDomain() {
        return multiplierDomain;
    }

    /** @return X */
    public Box xDomain() {
        return xDomain;
    }

    /** @return Z */
    public Box zDomain() {
        return zDomain;
    }

    /** @return a copy of the Slater point */
    public DMatrixRMaj slaterPoint() {
        return slaterPoint.copy();
    }

    /** @return the objective fb */
    public Objective objective() {
        return fb;
    }

    /** @return the constraints gb */
    public Constraints constraints() {
        return gb;
    }

    /**
     * @param x the point x, not modified
     * @param z the lower-level point z, not modified
     * @param lambda the multipliers (k x 1), not modified
     * @return the Lagrangian {@code fb(x, z) + <lambda, gb(x, z)>}
     */
    public double lagrangian(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj lambda) {
        DMatrixRMaj g = new DMatrixRMaj(gb.count(), 1);
        gb.values(x, z, g);
        double s = fb.value(x, z);
        for (int i = 0; i < g.getNumElements(); i++) {
            s += lambda.data[i] * g.data[i];
        }
        return s;
    }

    /**
     * The bilevel problem {@code min_{x1 in X} max_{x2} F(x1, x2, y)} over the solutions y of this lower
     * level, in the minimax template: {@code y1 = y} in Z, {@code y2 = lambda} in {@code [0, B]^k},
     * {@code f(x1, x2, y1, y2) = F(x1, x2, y1)} and {@code ft = fb(x1, y1) + <y2, gb(x1, y1)>}.
     *
     * @param upper the upper level F
     * @return the bilevel minimax problem
     */
    public MinimaxBilevelProblem withUpper(UpperLevel upper) {
        return new Dual(this, Objects.requireNonNull(upper, "upper"));
    }

    /** The dual template. */
    private static final class Dual implements MinimaxBilevelProblem {
        private final ConstrainedLowerLevel lower;
        private final UpperLevel upper;

        Dual(ConstrainedLowerLevel lower, UpperLevel upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public Box x1Domain() {
            return lower.xDomain;
        }

        @Override
        public Box x2Domain() {
            return upper.x2Domain();
        }

        @Override
        public Box y1Domain() {
            return lower.zDomain;
        }

        @Override
        public Box y2Domain() {
            return lower.multiplierDomain;
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            return upper.value(x1, x2, y1);
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gy2.zero();
            return upper.valueAndGradient(x1, x2, y1, gx1, gx2, gy1);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            return lower.lagrangian(x1, y1, y2);
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double f = lower.fb.valueAndGradient(x1, y1, gx1, gy1);
            lower.gb.addWeightedGradient(x1, y1, y2, gx1, gy1);
            lower.gb.values(x1, y1, gy2); // grad_lambda ft = gb(x, y)
            double s = f;
            for (int i = 0; i < gy2.getNumElements(); i++) {
                s += y2.data[i] * gy2.data[i];
            }
            return s;
        }

        @Override
        public String toString() {
            return "Lagrangian dual of a constrained lower level; " + lower.bound;
        }
    }

    /** Builder; {@link #build()} validates and computes the multiplier bound. */
    public static final class Builder {
        private final Box xDomain;
        private final Box zDomain;
        private final Objective fb;
        private final Constraints gb;
        private DMatrixRMaj slaterPoint;
        private double margin = Double.NaN;
        private double objectiveLowerBound = Double.NaN;
        private double cap = Double.NaN;

        private Builder(Box xDomain, Box zDomain, Objective fb, Constraints gb) {
            this.xDomain = Objects.requireNonNull(xDomain, "xDomain");
            this.zDomain = Objects.requireNonNull(zDomain, "zDomain");
            this.fb = Objects.requireNonNull(fb, "fb");
            this.gb = Objects.requireNonNull(gb, "gb");
        }

        /**
         * Sets the Slater point {@code z_s} in Z with {@code gb(x, z_s) < 0} for every x in X (required).
         *
         * @param zs the Slater point, copied
         * @return this builder
         */
        public Builder slaterPoint(DMatrixRMaj zs) {
            this.slaterPoint = Objects.requireNonNull(zs, "slaterPoint");
            return this;
        }

        /**
         * Sets the Slater point from an array.
         *
         * @param zs the entries of the Slater point
         * @return this builder
         */
        public Builder slaterPoint(double... zs) {
            return slaterPoint(DMatrixRMaj.wrap(zs.length, 1, zs.clone()));
        }

        /**
         * Sets a margin G known to hold over all of X ({@code gb(x, z_s) <= -G}); it may not exceed
         * the measured one. Default: the measured margin.
         *
         * @param g the margin G, positive
         * @return this builder
         */
        public Builder margin(double g) {
            this.margin = g;
            return this;
        }

        /**
         * Sets a known lower bound on fb over X x Z (for example 0 for a loss). Default: none.
         *
         * @param v the lower bound
         * @return this builder
         */
        public Builder objectiveLowerBound(double v) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("objective lower bound must not be NaN");
            }
            this.objectiveLowerBound = v;
            return this;
        }

        /**
         * Sets the multiplier cap B (at least the bound). Default: 1.25 times the bound.
         *
         * @param b the cap B
         * @return this builder
         */
        public Builder multiplierCap(double b) {
            this.cap = b;
            return this;
        }

        /**
         * @throws IllegalArgumentException if there is no Slater point, it is outside Z or not strictly
         *     feasible for some x, or a supplied margin or cap contradicts the bound
         * @return the lower level
         */
        public ConstrainedLowerLevel build() {
            return new ConstrainedLowerLevel(this);
        }
    }
}
