package org.bilevel4j.problem;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Stochastic estimates of the lower-level gradient {@code grad ft(x1, y1, y2)} of a
 * {@link MinimaxBilevelProblem}, for example minibatch averages over the components of a finite sum
 * {@code ft = (1/N) sum_i ft_i}. A sampler is stateful: {@link #draw} picks a minibatch, and every
 * {@link #estimate} until the next draw uses that same minibatch, so that a solver can evaluate the
 * gradient at two points with common samples. Not safe for concurrent use.
 *
 * <p>Thread-safety: implementations need not be thread-safe: one run calls it from one thread, with
 * the run's own random generator.
 */
public interface LowerGradientSampler {

    /**
     * Draws a new minibatch.
     *
     * @param rng the source of randomness (the solver seeds it)
     * @param batchSize the number of components, at least 1
     */
    void draw(RandomGenerator rng, int batchSize);

    /**
     * Writes an unbiased estimate of the partial gradients of ft on the current minibatch.
     * Modified: gx1, gy1, gy2; not modified: the points.
     *
     * @return the number of component-gradient evaluations spent (the batch size for a finite sum)
     * @param x1 the upper-level minimization block x1, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @param gx1 modified: receives the partial gradient in x1
     * @param gy1 modified: receives the partial gradient in y1
     * @param gy2 modified: receives the partial gradient in y2
     */
    int estimate(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1, DMatrixRMaj gy1,
            DMatrixRMaj gy2);
}
