package org.bilevel4j.solver.baseline;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Stable principal component pursuit (Zhou, Li, Wright, Candes, Ma [1]):
 * <pre>
 *   minimize  ||L||_* + lambda ||S||_1 + 1/(2 mu) ||M - L - S||_F^2
 * </pre>
 * solved by the accelerated proximal gradient method with continuation of Lin, Ganesh, Wright, Wu,
 * Chen and Ma [2] (the solver [1] uses). Multiplying by mu, the smooth part
 * {@code f(L, S) = 1/2 ||M - L - S||^2} has gradient {@code (L + S - M, L + S - M)} with Lipschitz
 * constant 2, and one iteration with momentum {@code t} reads
 * <pre>
 *   Y_L = L + (t_prev - 1)/t (L - L_prev),   Y_S = S + (t_prev - 1)/t (S - S_prev)
 *   G   = Y_L + Y_S - M
 *   L+  = SVT_{mu_k/2}(Y_L - G/2),           S+ = shrink_{lambda mu_k/2}(Y_S - G/2)
 *   t+  = (1 + sqrt(1 + 4 t^2)) / 2,         mu_{k+1} = max(eta mu_k, mu)
 * </pre>
 * starting from {@code mu_0 = 0.99 ||M||_2} and decreasing to the target mu. Stop (CONVERGED) once
 * mu has reached its target and the subgradient residual of [2],
 * {@code R = (G+ - G - 2(L+ - Y_L), G+ - G - 2(S+ - Y_S))} with {@code G+ = L+ + S+ - M}, satisfies
 * {@code ||R||_F <= tolerance * 2 max(1, ||(L+, S+)||_F)}.
 *
 * <p>Defaults: {@code lambda = 1/sqrt(max(m, n))}; target {@code mu = 1e-5 ||M||_2}, the
 * continuation floor of [2] (with a known noise level sigma, [1] takes {@code mu = sqrt(2 max(m, n))
 * sigma}: {@link Options#forNoiseLevel}); {@code eta = 0.9}; {@code tolerance = 1e-7}.
 *
 * <p>Memory: besides M the state holds L, S, their previous values and one work matrix (five
 * m x n; six with the copy of M^T below). The divergence rollback restores the previous iterate,
 * which the method keeps anyway.
 *
 * <p>Cost of an iteration: elementwise passes (the momentum points; the shrinkage in a loop of its
 * own; the objective and the residual, whose two blocks are opposite, {@code r_S = -r_L}, so that
 * Y_S is not needed there) and one singular value thresholding. A tall M whose SVT is always the full thin one (n at most
 * {@link SvdPolicy#fullBelow()}, 2304 x 51 on the traffic clip) is kept transposed, so that the SVT
 * (Householder QR without Q, SVD of the n x n triangle, the product in low-rank form when fewer than
 * half the singular values pass: {@link org.bilevel4j.linalg.ThinSvt}) gets the wide orientation,
 * whose rows are the columns its QR works on and whose products run along rows of length m. Both
 * are orthogonal or norm-at-most-1 operations, backward stable like a full SVD, and transposition
 * commutes with every step, so the iterates are those of the untransposed run to rounding.
 * Trace columns: {@code objective} (at the target mu), {@code residual} (the stopping ratio),
 * {@code rank}, {@code svd_rank}, {@code mu} (of the step).
 *
 * <p>[1] Z. Zhou, X. Li, J. Wright, E. Candes, Y. Ma, "Stable principal component pursuit",
 * ISIT 2010, arXiv:1001.2363. [2] Z. Lin, A. Ganesh, J. Wright, L. Wu, M. Chen, Y. Ma, "Fast convex
 * optimization algorithms for exact recovery of a corrupted low-rank matrix", CAMSAP 2009.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class StablePcp implements IterativeSolver<DMatrixRMaj, LowRankSparse, StablePcpState> {

    private final Options options;

    /** @param options the method's parameters */
    public StablePcp(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Stable PCP with the default parameters. */
    public StablePcp() {
        this(Options.defaults());
    }

    /** @return the parameters */
    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "StablePCP(APG)";
    }

    @Override
    public StablePcpState init(DMatrixRMaj m, LowRankSparse start, SolverOptions solverOptions) {
        MatOps.checkSameShape(m, start.low());
        if (!MatOps.isFinite(m)) {
            throw new IllegalArgumentException("the data matrix has non-finite entries");
        }
        double lambda = options.lambda().orElse(RobustPca.defaultLambda(m.numRows, m.numCols));
        double norm2 = MatOps.spectralNorm(m);
        double target = options.mu().orElse(options.muRatio() * norm2);
        if (!(target > 0)) {
            target = options.muRatio();
        }
        double mu0 = Math.max(0.99 * norm2, target);
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(solverOptions.seed());
        return new StablePcpState(m, start, lambda, target, mu0, options, rnd);
    }

    @Override
    public void step(DMatrixRMaj m, StablePcpState s) {
        s.step();
    }

    /**
     * The parameters of stable PCP.
     *
     * @param lambda weight of the l1 term; empty means {@code 1/sqrt(max(m, n))}
     * @param mu the target mu of the model; empty means {@code muRatio ||M||_2}
     * @param muRatio used when mu is empty (default 1e-5)
     * @param eta continuation factor in (0, 1) (default 0.9)
     * @param tolerance the stopping tolerance of [2] (default 1e-7)
     * @param svd full or partial SVD
     */
    public record Options(OptionalDouble lambda, OptionalDouble mu, double muRatio, double eta, double tolerance,
            SvdPolicy svd) {

        /**
         * Validates.
         *
         * @param lambda weight of the l1 term; empty means {@code 1/sqrt(max(m, n))}
         * @param mu the target mu of the model; empty means {@code muRatio ||M||_2}
         * @param muRatio used when mu is empty (default 1e-5)
         * @param eta continuation factor in (0, 1) (default 0.9)
         * @param tolerance the stopping tolerance of [2] (default 1e-7)
         * @param svd full or partial SVD
         */
        public Options {
            if (lambda.isPresent() && !(lambda.getAsDouble() > 0 && Double.isFinite(lambda.getAsDouble()))) {
                throw new IllegalArgumentException("lambda must be positive, got " + lambda.getAsDouble());
            }
            if (mu.isPresent() && !(mu.getAsDouble() > 0 && Double.isFinite(mu.getAsDouble()))) {
                throw new IllegalArgumentException("mu must be positive, got " + mu.getAsDouble());
            }
            if (!(muRatio > 0) || Double.isInfinite(muRatio)) {
                throw new IllegalArgumentException("muRatio must be positive, got " + muRatio);
            }
            if (!(eta > 0 && eta < 1)) {
                throw new IllegalArgumentException("eta must be in (0, 1), got " + eta);
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be nonnegative, got " + tolerance);
            }
            Objects.requireNonNull(svd, "svd");
        }

        /** @return lambda = 1/sqrt(max(m, n)), mu = 1e-5 ||M||_2, eta = 0.9, tolerance = 1e-7 */
        public static Options defaults() {
            return new Options(OptionalDouble.empty(), OptionalDouble.empty(), 1e-5, 0.9, 1e-7, SvdPolicy.defaults());
        }

        /**
         * @param sigma the noise deviation sigma, positive
         * @param rows the number of rows
         * @param cols the number of columns
         * @return the choice of [1] for Gaussian noise of deviation sigma: mu = sqrt(2 max(m, n)) sigma
         */
        public static Options forNoiseLevel(double sigma, int rows, int cols) {
            return defaults().withMu(Math.sqrt(2.0 * Math.max(rows, cols)) * sigma);
        }

        /**
         * @param v the target mu, positive
         * @return these options with a fixed target mu
         */
        public Options withMu(double v) {
            return new Options(lambda, OptionalDouble.of(v), muRatio, eta, tolerance, svd);
        }

        /**
         * @param v the weight lambda of the l1 term, positive
         * @return these options with a fixed lambda
         */
        public Options withLambda(double v) {
            return new Options(OptionalDouble.of(v), mu, muRatio, eta, tolerance, svd);
        }

        /**
         * @param v the tolerance, positive
         * @return these options with another tolerance
         */
        public Options withTolerance(double v) {
            return new Options(lambda, mu, muRatio, eta, v, svd);
        }

        /**
         * @param v the SVD policy
         * @return these options with another SVD policy
         */
        public Options withSvd(SvdPolicy v) {
            return new Options(lambda, mu, muRatio, eta, tolerance, v);
        }
    }
}
