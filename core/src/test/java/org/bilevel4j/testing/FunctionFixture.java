package org.bilevel4j.testing;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.function.FunctionTraits;
import org.ejml.data.DMatrixRMaj;

/**
 * What a contract test needs from a test class: the instances under test and random points. Shared
 * by {@link ProxContract} and {@link SmoothContract}, so one class can implement both.
 *
 * @param <F> the type under test
 */
public interface FunctionFixture<F extends FunctionTraits> {

    /** @return the instances under test; cover the parameter regimes (a zero weight, small, large) */
    List<F> functions();

    /**
     * @return the shapes {rows, cols} to test {@code f} on; small (at most about 6 entries) so that
     *     brute-force references stay fast and reliable. Default: 1x1, 3x1, 1x4, 2x2, 2x3.
     */
    default List<int[]> shapes(F f) {
        return List.of(new int[] {1, 1}, new int[] {3, 1}, new int[] {1, 4}, new int[] {2, 2}, new int[] {2, 3});
    }

    /** @return a random point of the given shape; default: independent N(0, 4) entries */
    default DMatrixRMaj randomPoint(F f, int rows, int cols, RandomGenerator rng) {
        return TestMatrices.gaussian(rows, cols, 2.0, rng);
    }

    /** @return a random point of a random shape of {@link #shapes} */
    default DMatrixRMaj randomPoint(F f, RandomGenerator rng) {
        List<int[]> shapes = shapes(f);
        int[] shape = shapes.get(rng.nextInt(shapes.size()));
        return randomPoint(f, shape[0], shape[1], rng);
    }

    /** @return a random point of {@code like}'s shape */
    default DMatrixRMaj randomPointLike(F f, DMatrixRMaj like, RandomGenerator rng) {
        return randomPoint(f, like.numRows, like.numCols, rng);
    }
}
