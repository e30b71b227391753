package org.bilevel4j.problem;

import java.util.Objects;
import java.util.Optional;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.function.SmoothFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * Assembles a {@link BilevelProblem} (the template of MEHA, BOME and implicit differentiation) on
 * vectors {@code x} (n x 1) and {@code y} (m x 1) from ready-made pieces, without writing the eight
 * partial-gradient methods by hand:
 * <pre>
 *   minimize_{x in X, y}  F(x, y)   subject to  y in argmin_{y' in Y} f(x, y') + g(x, y')
 * </pre>
 * <ul>
 *   <li>F and f are {@link SmoothFunction}s of the stacked vector {@code z = [x; y]} ((n + m) x 1),
 *       whose gradient is split into {@code grad_x} and {@code grad_y} ({@link #upper}, {@link #lowerSmooth}),
 *       or of y alone ({@link #upperOfY}, {@link #lowerSmoothOfY}, whose {@code grad_x} is 0);</li>
 *   <li>g is a {@link ProxFunction} of y, either {@code g(x, y) = h(y)} ({@link #lowerNonsmooth}) or
 *       {@code g(x, y) = x_0 h(y)} for a scalar weight {@code x = x_0 >= 0} ({@link #lowerNonsmoothWeightedByX},
 *       the hyperparameter case: {@code grad_x g = h(y)}, {@code prox_{t g(x, .)} = prox_{t x_0 h}});</li>
 *   <li>X and Y are given by their indicators ({@link #setX}, {@link #setY}): the prox of an
 *       indicator is the projection.</li>
 * </ul>
 * Every evaluation stacks x and y into a new vector: meant for problems of small or moderate size.
 * The built problem is immutable and thread-safe when its pieces are.
 *
 * <p>Example, a lasso-type lower level {@code y(x) = argmin 1/2 ||y - a||^2 + x ||y||_1} under
 * {@code F = 1/2 ||y - c||^2}:
 * <pre>{@code
 * BilevelProblem p = BilevelProblem.builder(1, a.length)
 *         .upperOfY(new LeastSquares(CommonOps_DDRM.identity(a.length), c))   // 1/2 ||y - c||^2
 *         .lowerSmoothOfY(new LeastSquares(CommonOps_DDRM.identity(a.length), a))   // 1/2 ||y - a||^2
 *         .lowerNonsmoothWeightedByX(new NormL1(1.0))
 *         .setX(new IndNonnegative())
 *         .build();
 * }</pre>
 */
public final class BilevelProblemBuilder {

    private final int n;
    private final int m;
    private SmoothFunction upper;
    private boolean upperOfY;
    private SmoothFunction lower;
    private boolean lowerOfY;
    private ProxFunction nonsmooth;
    private boolean weighted;
    private ProxFunction setX;
    private ProxFunction setY;
    private PairIterate reference;

    BilevelProblemBuilder(int n, int m) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("x and y need at least one entry each, got n = " + n + ", m = " + m);
        }
        this.n = n;
        this.m = m;
    }

    /**
     * @param f the upper level F as a function of {@code [x; y]}, (n + m) x 1
     * @return this builder
     */
    public BilevelProblemBuilder upper(SmoothFunction f) {
        this.upper = Objects.requireNonNull(f, "F");
        this.upperOfY = false;
        return this;
    }

    /**
     * @param f the upper level F as a function of y alone, m x 1
     * @return this builder
     */
    public BilevelProblemBuilder upperOfY(SmoothFunction f) {
        this.upper = Objects.requireNonNull(f, "F");
        this.upperOfY = true;
        return this;
    }

    /**
     * @param f the smooth lower part f as a function of {@code [x; y]}, (n + m) x 1
     * @return this builder
     */
    public BilevelProblemBuilder lowerSmooth(SmoothFunction f) {
        this.lower = Objects.requireNonNull(f, "f");
        this.lowerOfY = false;
        return this;
    }

    /**
     * @param f the smooth lower part f as a function of y alone, m x 1
     * @return this builder
     */
    public BilevelProblemBuilder lowerSmoothOfY(SmoothFunction f) {
        this.lower = Objects.requireNonNull(f, "f");
        this.lowerOfY = true;
        return this;
    }

    /**
     * @param h the nonsmooth lower part {@code g(x, y) = h(y)}, convex and prox-friendly
     * @return this builder
     */
    public BilevelProblemBuilder lowerNonsmooth(ProxFunction h) {
        this.nonsmooth = Objects.requireNonNull(h, "h");
        this.weighted = false;
        return this;
    }

    /**
     * The hyperparameter case {@code g(x, y) = x_0 h(y)}: x must be a scalar (n = 1) that stays
     * nonnegative (give {@link #setX} a set inside {@code [0, inf)}, such as
     * {@link org.bilevel4j.function.IndNonnegative}); a negative weight at a prox is refused.
     *
     * @param h the function weighted by x, convex and prox-friendly
     * @return this builder
     */
    public BilevelProblemBuilder lowerNonsmoothWeightedByX(ProxFunction h) {
        if (n != 1) {
            throw new IllegalArgumentException("g(x, y) = x h(y) needs a scalar x, the problem has n = " + n);
        }
        this.nonsmooth = Objects.requireNonNull(h, "h");
        this.weighted = true;
        return this;
    }

    /**
     * @param indicator the indicator of X ({@code isSetIndicator()}); its prox is the projection
     * @return this builder
     */
    public BilevelProblemBuilder setX(ProxFunction indicator) {
        this.setX = requireIndicator(indicator, "X");
        return this;
    }

    /**
     * @param indicator the indicator of Y ({@code isSetIndicator()}); not combined with a nonsmooth
     *     lower part (fold the set into h instead)
     * @return this builder
     */
    public BilevelProblemBuilder setY(ProxFunction indicator) {
        this.setY = requireIndicator(indicator, "Y");
        return this;
    }

    /**
     * @param solution a known solution (x*, y*), used only for the relative errors in the trace
     * @return this builder
     */
    public BilevelProblemBuilder reference(PairIterate solution) {
        this.reference = Objects.requireNonNull(solution, "solution");
        return this;
    }

    private static ProxFunction requireIndicator(ProxFunction f, String set) {
        Objects.requireNonNull(f, set);
        if (!f.isSetIndicator()) {
            throw new IllegalArgumentException("the set " + set + " must be given as the indicator of a set"
                    + " (isSetIndicator() true), got " + f);
        }
        return f;
    }

    /**
     * @return the problem
     * @throws IllegalStateException if F or f is missing, or a nonsmooth part is combined with a set Y
     */
    public BilevelProblem build() {
        if (upper == null) {
            throw new IllegalStateException("the upper level F is missing: call upper(...) or upperOfY(...)");
        }
        if (lower == null) {
            throw new IllegalStateException("the smooth lower part f is missing: call lowerSmooth(...) or"
                    + " lowerSmoothOfY(...) (use new Zero() for none)");
        }
        if (nonsmooth != null && setY != null) {
            throw new IllegalStateException("a nonsmooth lower part together with a set Y: put the set into h"
                    + " (the builder needs the prox of g + indicator_Y in one piece)");
        }
        if (reference != null) {
            checkShape(reference.x(), n, "reference x");
            checkShape(reference.y(), m, "reference y");
        }
        return new Built(this);
    }

    private static void checkShape(DMatrixRMaj v, int rows, String name) {
        if (v.numRows != rows || v.numCols != 1) {
            throw new IllegalArgumentException(name + " is " + v.numRows + "x" + v.numCols + ", expected " + rows
                    + "x1");
        }
    }

    private static final class Built implements BilevelProblem {

        private final int n;
        private final int m;
        private final SmoothFunction upper;
        private final boolean upperOfY;
        private final SmoothFunction lower;
        private final boolean lowerOfY;
        private final ProxFunction nonsmooth;
        private final boolean weighted;
        private final ProxFunction setX;
        private final ProxFunction setY;
        private final PairIterate reference;

        Built(BilevelProblemBuilder b) {
            n = b.n;
            m = b.m;
            upper = b.upper;
            upperOfY = b.upperOfY;
            lower = b.lower;
            lowerOfY = b.lowerOfY;
            nonsmooth = b.nonsmooth;
            weighted = b.weighted;
            setX = b.setX;
            setY = b.setY;
            reference = b.reference;
        }

        @Override
        public int xRows() {
            return n;
        }

        @Override
        public int yRows() {
            return m;
        }

        private static double value(SmoothFunction f, boolean ofY, DMatrixRMaj x, DMatrixRMaj y) {
            return ofY ? f.value(y) : f.value(Stacked.stack(x, y));
        }

        private static void gradient(SmoothFunction f, boolean ofY, DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj gx,
                DMatrixRMaj gy) {
            if (ofY) {
                if (gx != null) {
                    gx.zero();
                }
                if (gy != null) {
                    f.gradient(y, gy);
                }
                return;
            }
            DMatrixRMaj z = Stacked.stack(x, y);
            DMatrixRMaj g = new DMatrixRMaj(z.numRows, 1);
            f.gradient(z, g);
            Stacked.part(g, 0, gx);
            Stacked.part(g, x.getNumElements(), gy);
        }

        @Override
        public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
            return value(upper, upperOfY, x, y);
        }

        @Override
        public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(upper, upperOfY, x, y, out, null);
        }

        @Override
        public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(upper, upperOfY, x, y, null, out);
        }

        @Override
        public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
            return value(lower, lowerOfY, x, y);
        }

        @Override
        public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(lower, lowerOfY, x, y, out, null);
        }

        @Override
        public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(lower, lowerOfY, x, y, null, out);
        }

        @Override
        public boolean hasNonsmoothLower() {
            return nonsmooth != null;
        }

        @Override
        public double lowerNonsmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
            if (nonsmooth == null) {
                return 0.0;
            }
            double h = nonsmooth.value(y);
            return weighted ? x.data[0] * h : h;
        }

        @Override
        public void lowerNonsmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            if (nonsmooth != null && weighted) {
                out.data[0] = nonsmooth.value(y);
            } else {
                out.zero();
            }
        }

        @Override
        public double lowerProx(DMatrixRMaj x, DMatrixRMaj v, double t, DMatrixRMaj out) {
            if (nonsmooth == null) {
                projectY(v, out);
                return 0.0;
            }
            if (!weighted) {
                return nonsmooth.prox(v, t, out);
            }
            double w = x.data[0];
            if (w < 0 || !Double.isFinite(w)) {
                throw new IllegalArgumentException("g(x, y) = x h(y) needs x >= 0, got x = " + w
                        + " (constrain x with setX(new IndNonnegative()))");
            }
            if (w == 0) {
                if (out != v) {
                    out.setTo(v);
                }
                return 0.0;
            }
            return w * nonsmooth.prox(v, t * w, out);
        }

        @Override
        public boolean constrainedX() {
            return setX != null;
        }

        @Override
        public boolean constrainedY() {
            return setY != null;
        }

        @Override
        public void projectX(DMatrixRMaj v, DMatrixRMaj out) {
            if (setX != null) {
                setX.prox(v, 1.0, out);
            } else if (out != v) {
                out.setTo(v);
            }
        }

        @Override
        public void projectY(DMatrixRMaj v, DMatrixRMaj out) {
            if (setY != null) {
                setY.prox(v, 1.0, out);
            } else if (out != v) {
                out.setTo(v);
            }
        }

        @Override
        public Optional<PairIterate> referenceSolution() {
            return Optional.ofNullable(reference);
        }

        @Override
        public String toString() {
            return "BilevelProblem[n=" + n + ", m=" + m + ", F=" + upper + ", f=" + lower
                    + (nonsmooth != null ? ", g=" + (weighted ? "x*" : "") + nonsmooth : "")
                    + (setX != null ? ", X=" + setX : "") + (setY != null ? ", Y=" + setY : "") + "]";
        }
    }
}
