package org.bilevel4j.apps.factorization;

import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.FactorizationCoupling;

/**
 * The sparse low-rank factorization of the BINNO paper (Selicato, Esposito, Ang, arXiv:2510.21390)
 * as a {@link BlockCompositeBilevelProblem}: with {@code H = 1/2 ||XY - M||_F^2},
 * <pre>
 *   minimize   Psi1 = lambda1 ||X||_1 + lambda2 ||Y||_1 + H(X, Y)
 *   over the minimizers of   Psi2 = gamma1 ||X||_* + gamma2 ||Y||_* + H(X, Y).
 * </pre>
 * One definition for every place that builds it (factorize and demo, the video experiment, the
 * benchmarks, the sweeps).
 */
public final class SparseLowRank {

    private SparseLowRank() {
    }

    /**
     * @param coupling {@code H = 1/2 ||XY - M||^2} with its rank r
     * @param lambda1 weight of {@code ||X||_1} (upper level)
     * @param lambda2 weight of {@code ||Y||_1} (upper level)
     * @param gamma1 weight of {@code ||X||_*} (lower level)
     * @param gamma2 weight of {@code ||Y||_*} (lower level)
     * @return the problem
     */
    public static BlockCompositeBilevelProblem problem(FactorizationCoupling coupling, double lambda1, double lambda2,
            double gamma1, double gamma2) {
        return BlockCompositeBilevelProblem.builder(coupling)
                .upper(new NormL1(lambda1), new NormL1(lambda2))
                .lower(new NuclearNorm(gamma1), new NuclearNorm(gamma2))
                .build();
    }
}
