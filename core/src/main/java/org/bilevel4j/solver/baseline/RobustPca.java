package org.bilevel4j.solver.baseline;

import java.util.OptionalDouble;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Robust PCA (principal component pursuit) by the inexact augmented Lagrangian method of Lin,
 * Chen and Ma [1]:
 * <pre>
 *   minimize ||L||_* + lambda ||S||_1   subject to   L + S = M
 * </pre>
 * with the augmented Lagrangian
 * {@code ||L||_* + lambda ||S||_1 + <Y, M - L - S> + mu/2 ||M - L - S||_F^2}. One iteration,
 * in the order of the authors' released code ({@code inexact_alm_rpca.m}):
 * <pre>
 *   S+ = shrink_{lambda/mu}(M - L + Y/mu)            (soft thresholding)
 *   L+ = SVT_{1/mu}(M - S+ + Y/mu)                    (singular value thresholding)
 *   Y+ = Y + mu (M - L+ - S+)
 *   mu+ = min(rho mu, mu_max)
 * </pre>
 * Start (as in [1]): {@code Y0 = M / J(M)}, {@code J(M) = max(||M||_2, ||M||_inf / lambda)},
 * {@code mu0 = muFactor / ||M||_2}, {@code mu_max = mu0 * muMaxRatio}. The method stops with
 * CONVERGED once {@code ||M - L - S||_F / ||M||_F < tolerance}. Defaults: {@code lambda = 1/sqrt(max(m, n))},
 * {@code rho = 1.5}, {@code muFactor = 1.25}, {@code muMaxRatio = 1e7}, {@code tolerance = 1e-7}.
 *
 * <p>SVT computes only the leading singular triplets when the predicted rank is small (see
 * {@link SvdPolicy}), so an iteration on a 76800 x 500 clip costs a few products with M instead of
 * a full SVD. Memory: besides M the state holds L, S, Y and one work matrix (four m x n), plus two
 * copies for the divergence rollback when {@code m n <= 2^24}.
 *
 * <p>Trace columns: {@code objective} ({@code ||L||_* + lambda ||S||_1}), {@code residual}
 * ({@code ||M - L - S||_F / ||M||_F}), {@code rank} (of L), {@code svd_rank} (triplets computed),
 * {@code mu}.
 *
 * <p>[1] Z. Lin, M. Chen, Y. Ma, "The augmented Lagrange multiplier method for exact recovery of
 * corrupted low-rank matrices", arXiv:1009.5055, 2010.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class RobustPca implements IterativeSolver<DMatrixRMaj, LowRankSparse, RobustPcaState> {

    private final Options options;

    /** @param options the method's parameters */
    public RobustPca(Options options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /** Robust PCA with the parameters of [1]. */
    public RobustPca() {
        this(Options.defaults());
    }

    /** @return the parameters */
    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "RPCA(inexact ALM)";
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return {@code 1 / sqrt(max(m, n))}, the weight of [1] and of Candes et al.
     */
    public static double defaultLambda(int rows, int cols) {
        return 1.0 / Math.sqrt(Math.max(rows, cols));
    }

    @Override
    public RobustPcaState init(DMatrixRMaj m, LowRankSparse start, SolverOptions solverOptions) {
        MatOps.checkSameShape(m, start.low());
        if (!MatOps.isFinite(m)) {
            throw new IllegalArgumentException("the data matrix has non-finite entries");
        }
        double lambda = options.lambda().orElse(defaultLambda(m.numRows, m.numCols));
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(solverOptions.seed());
        return new RobustPcaState(m, start, lambda, options, rnd);
    }

    @Override
    public void step(DMatrixRMaj m, RobustPcaState s) {
        s.step();
    }

    /**
     * The parameters of the inexact ALM.
     *
     * @param lambda weight of the l1 term; empty means {@code 1/sqrt(max(m, n))}
     * @param rho growth factor of mu, greater than 1 (default 1.5)
     * @param muFactor {@code mu0 = muFactor / ||M||_2}, positive (default 1.25)
     * @param muMaxRatio {@code mu_max = mu0 muMaxRatio}, at least 1 (default 1e7)
     * @param tolerance stop once {@code ||M - L - S||_F / ||M||_F} falls below this (default 1e-7)
     * @param svd full or partial SVD (default {@link SvdPolicy#defaults()})
     */
    public record Options(OptionalDouble lambda, double rho, double muFactor, double muMaxRatio, double tolerance,
            SvdPolicy svd) {

        /**
         * Validates.
         *
         * @param lambda weight of the l1 term; empty means {@code 1/sqrt(max(m, n))}
         * @param rho growth factor of mu, greater than 1 (default 1.5)
         * @param muFactor {@code mu0 = muFactor / ||M||_2}, positive (default 1.25)
         * @param muMaxRatio {@code mu_max = mu0 muMaxRatio}, at least 1 (default 1e7)
         * @param tolerance stop once {@code ||M - L - S||_F / ||M||_F} falls below this (default 1e-7)
         * @param svd full or partial SVD (default {@link SvdPolicy#defaults()})
         */
        public Options {
            if (lambda.isPresent() && !(lambda.getAsDouble() > 0 && Double.isFinite(lambda.getAsDouble()))) {
                throw new IllegalArgumentException("lambda must be positive, got " + lambda.getAsDouble());
            }
            if (!(rho > 1) || Double.isInfinite(rho)) {
                throw new IllegalArgumentException("rho must be greater than 1, got " + rho);
            }
            if (!(muFactor > 0) || Double.isInfinite(muFactor)) {
                throw new IllegalArgumentException("muFactor must be positive, got " + muFactor);
            }
            if (!(muMaxRatio >= 1) || Double.isInfinite(muMaxRatio)) {
                throw new IllegalArgumentException("muMaxRatio must be at least 1, got " + muMaxRatio);
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be nonnegative, got " + tolerance);
            }
            java.util.Objects.requireNonNull(svd, "svd");
        }

        /** @return the parameters of [1] */
        public static Options defaults() {
            return new Options(OptionalDouble.empty(), 1.5, 1.25, 1e7, 1e-7, SvdPolicy.defaults());
        }

        /**
         * @param v the weight lambda of the l1 term, positive
         * @return these options with a fixed lambda
         */
        public Options withLambda(double v) {
            return new Options(OptionalDouble.of(v), rho, muFactor, muMaxRatio, tolerance, svd);
        }

        /**
         * @param v the tolerance, positive
         * @return these options with another tolerance
         */
        public Options withTolerance(double v) {
            return new Options(lambda, rho, muFactor, muMaxRatio, v, svd);
        }

        /**
         * @param v the SVD policy
         * @return these options with another SVD policy
         */
        public Options withSvd(SvdPolicy v) {
            return new Options(lambda, rho, muFactor, muMaxRatio, tolerance, v);
        }
    }
}
