package org.bilevel4j.problem;

import java.util.Objects;
import java.util.SplittableRandom;
import org.bilevel4j.function.ProxFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * A simple bilevel problem on two blocks with a shared smooth coupling:
 * <pre>
 *   minimize    Psi1(X, Y) = f1(X) + g1(Y) + H(X, Y)                 (upper level)
 *   over        argmin Psi2(X, Y) = f2(X) + g2(Y) + H(X, Y)          (lower level)
 * </pre>
 * with prox-friendly {@code f1, g1, f2, g2} and a {@link BlockCoupling} H. The sparse low-rank
 * factorization of BINNO [Selicato, Esposito, Ang 2025] takes {@code H = 1/2 ||XY - M||^2},
 * {@code f1, g1} elementwise l1 norms and {@code f2, g2} nuclear norms.
 *
 * <p>Thread-safety: immutable; as safe to share between threads as its functions and coupling
 * (those of this library are immutable).
 *
 * @param f1 upper-level term on X
 * @param g1 upper-level term on Y
 * @param f2 lower-level term on X
 * @param g2 lower-level term on Y
 * @param coupling the shared smooth term H
 */
public record BlockCompositeBilevelProblem(ProxFunction f1, ProxFunction g1, ProxFunction f2, ProxFunction g2,
        BlockCoupling coupling) {

    /**
     * Rejects nulls.
     *
     * @param f1 upper-level term on X
     * @param g1 upper-level term on Y
     * @param f2 lower-level term on X
     * @param g2 lower-level term on Y
     * @param coupling the shared smooth term H
     */
    public BlockCompositeBilevelProblem {
        Objects.requireNonNull(f1, "f1");
        Objects.requireNonNull(g1, "g1");
        Objects.requireNonNull(f2, "f2");
        Objects.requireNonNull(g2, "g2");
        Objects.requireNonNull(coupling, "coupling");
    }

    /**
     * @param coupling the coupling H of both levels
     * @return a builder for a problem on the given coupling
     */
    public static Builder builder(BlockCoupling coupling) {
        return new Builder(coupling);
    }

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the upper-level objective {@code Psi1(X, Y)}
     */
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        return f1.value(x) + g1.value(y) + coupling.value(x, y);
    }

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the lower-level objective {@code Psi2(X, Y)}
     */
    public double lowerValue(DMatrixRMaj x, DMatrixRMaj y) {
        return f2.value(x) + g2.value(y) + coupling.value(x, y);
    }

    /**
     * The start of the method page: X and Y with entries uniform on [0, 1) from a seeded generator
     * (SplittableRandom, X row by row, then Y row by row).
     *
     * @param seed the seed of the random generator
     * @return the start point
     */
    public BlockIterate uniformStart(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(coupling.xRows(), coupling.xCols());
        DMatrixRMaj y = new DMatrixRMaj(coupling.yRows(), coupling.yCols());
        for (int i = 0; i < x.getNumElements(); i++) {
            x.data[i] = rnd.nextDouble();
        }
        for (int i = 0; i < y.getNumElements(); i++) {
            y.data[i] = rnd.nextDouble();
        }
        return new BlockIterate(x, y);
    }

    /** Builder: {@code builder(h).upper(f1, g1).lower(f2, g2).build()}. */
    public static final class Builder {
        private final BlockCoupling coupling;
        private ProxFunction f1;
        private ProxFunction g1;
        private ProxFunction f2;
        private ProxFunction g2;

        private Builder(BlockCoupling coupling) {
            this.coupling = Objects.requireNonNull(coupling, "coupling");
        }

        /**
         * Sets the upper-level terms.
         *
         * @param f the upper-level term f1 on X
         * @param g the upper-level term g1 on Y
         * @return this builder
         */
        public Builder upper(ProxFunction f, ProxFunction g) {
            f1 = f;
            g1 = g;
            return this;
        }

        /**
         * Sets the lower-level terms.
         *
         * @param f the lower-level term f2 on X
         * @param g the lower-level term g2 on Y
         * @return this builder
         */
        public Builder lower(ProxFunction f, ProxFunction g) {
            f2 = f;
            g2 = g;
            return this;
        }

        /**
         * @throws NullPointerException if a level is missing
         *
         * @return the problem
         */
        public BlockCompositeBilevelProblem build() {
            if (f1 == null || g1 == null) {
                throw new IllegalStateException("upper level not set: call upper(f1, g1)");
            }
            if (f2 == null || g2 == null) {
                throw new IllegalStateException("lower level not set: call lower(f2, g2)");
            }
            return new BlockCompositeBilevelProblem(f1, g1, f2, g2, coupling);
        }
    }
}
