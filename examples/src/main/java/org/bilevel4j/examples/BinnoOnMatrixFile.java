package org.bilevel4j.examples;

import java.nio.file.Path;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.apps.io.MatrixIOException;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;

/**
 * BINNO on a matrix read from a file ({@code .npy}, {@code .csv} or {@code .mtx}): a rank-r
 * factorization {@code M ~ X Y} with {@code H = 1/2 ||X Y - M||_F^2}, upper level
 * {@code lambda (||X||_1 + ||Y||_1) + H}, lower level {@code gamma (||X||_* + ||Y||_*) + H}. On a matrix
 * of exact rank r with small weights the product reaches M: the closed form is {@code X Y = M}, and the
 * relative error {@code ||X Y - M||_F / ||M||_F} goes to a small multiple of the weights.
 */
public final class BinnoOnMatrixFile {

    private BinnoOnMatrixFile() {
    }

    /**
     * Factorizes the matrix of a file.
     *
     * @param file the matrix file
     * @param rank the rank r of the factors
     * @param weight lambda = gamma, the weight of both levels' regularizers
     * @param maxIterations the iteration limit
     * @return BINNO's result
     * @throws MatrixIOException if the file cannot be read
     */
    public static Result<BlockIterate> solve(Path file, int rank, double weight, int maxIterations)
            throws MatrixIOException {
        DMatrixRMaj m = MatrixIO.read(file);
        BlockCompositeBilevelProblem problem = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, rank))
                .upper(new NormL1(weight), new NormL1(weight))
                .lower(new NuclearNorm(weight), new NuclearNorm(weight))
                .build();
        SolverOptions options = SolverOptions.builder().maxIterations(maxIterations).seed(1).build();
        return new Binno(BinnoWeights.MIDPOINT).solve(problem, problem.uniformStart(options.seed()), options);
    }

    /**
     * Factorizes a matrix file and prints the relative error of the product.
     *
     * @param args the file, then optionally the rank (default 3)
     * @throws MatrixIOException if the file cannot be read
     */
    public static void main(String[] args) throws MatrixIOException {
        if (args.length < 1) {
            System.err.println("usage: BinnoOnMatrixFile FILE [RANK]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int rank = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Result<BlockIterate> r = solve(file, rank, 1e-4, 3000);
        System.out.println(r.stopReason() + " after " + r.iterations() + " iterations: " + r.message());
        System.out.printf("relative error ||XY - M|| / ||M|| = %.3g%n",
                FactorizationMetrics.relativeError(MatrixIO.read(file), r.solution().product()));
    }
}
