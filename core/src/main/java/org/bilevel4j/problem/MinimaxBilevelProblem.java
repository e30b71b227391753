package org.bilevel4j.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * A bilevel minimax problem (the template of Shen, He, Wang, Lin 2026):
 * <pre>
 *   min_{x1 in X1} max_{x2 in X2}  f(x1, x2, y1, y2)
 *   s.t. (y1, y2) is a saddle point of  min_{y1 in Y1} max_{y2 in Y2}  ft(x1, y1, y2)
 * </pre>
 * with f and ft smooth, ft convex in y1 and concave in y2 (strong convexity is not needed), f
 * concave in x2, and every domain a compact {@link Box}. A block may have dimension 0: a plain
 * minimization lower level has no y2, an upper level that only minimizes has no x2.
 *
 * <p>Vectors are n x 1 {@link DMatrixRMaj}. The gradient methods write the partial gradients into
 * the caller's buffers (Modified: the g* arguments; not modified: the points) and return the value.
 *
 * <p>Build one from two {@link org.bilevel4j.function.SmoothFunction}s of the stacked blocks with
 * {@link #builder}; check its gradients with {@link org.bilevel4j.function.GradientCheck}.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread (the builder's problems are safe to share when their functions are).
 *
 * <p>Reference: [1] Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel
 * Optimization with Minimax and Constrained Lower-Level Problems", arXiv:2605.08006, 2026.
 */
public interface MinimaxBilevelProblem {

    /**
     * A builder that assembles a problem from smooth functions of the stacked blocks.
     *
     * @param x1 X1, the domain of the upper-level minimization variable
     * @param x2 X2, the domain of the upper-level maximization variable ({@link Box#none()} for none)
     * @param y1 Y1, the domain of the lower-level minimization variable
     * @param y2 Y2, the domain of the lower-level maximization variable ({@link Box#none()} for none)
     * @return a new builder
     */
    static MinimaxBilevelProblemBuilder builder(Box x1, Box x2, Box y1, Box y2) {
        return new MinimaxBilevelProblemBuilder(x1, x2, y1, y2);
    }

    /** @return X1, the domain of the upper-level minimization variable */
    Box x1Domain();

    /** @return X2, the domain of the upper-level maximization variable (possibly 0-dimensional) */
    Box x2Domain();

    /** @return Y1, the domain of the lower-level minimization variable */
    Box y1Domain();

    /** @return Y2, the domain of the lower-level maximization variable (possibly 0-dimensional) */
    Box y2Domain();

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @param x2 the upper-level maximization block x2, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @return {@code f(x1, x2, y1, y2)}
     */
    double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2);

    /**
     * Writes the partial gradients of f. Modified: gx1, gx2, gy1, gy2.
     *
     * @return {@code f(x1, x2, y1, y2)}
     * @param x1 the upper-level minimization block x1, not modified
     * @param x2 the upper-level maximization block x2, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @param gx1 modified: receives the partial gradient in x1
     * @param gx2 modified: receives the partial gradient in x2
     * @param gy1 modified: receives the partial gradient in y1
     * @param gy2 modified: receives the partial gradient in y2
     */
    double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
            DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2);

    /**
     * @param x1 the upper-level minimization block x1, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @return {@code ft(x1, y1, y2)}
     */
    double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2);

    /**
     * Writes the partial gradients of ft. Modified: gx1, gy1, gy2.
     *
     * @return {@code ft(x1, y1, y2)}
     * @param x1 the upper-level minimization block x1, not modified
     * @param y1 the lower-level minimization block y1, not modified
     * @param y2 the lower-level maximization block y2, not modified
     * @param gx1 modified: receives the partial gradient in x1
     * @param gy1 modified: receives the partial gradient in y1
     * @param gy2 modified: receives the partial gradient in y2
     */
    double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
            DMatrixRMaj gy1, DMatrixRMaj gy2);

    /**
     * Checks that a point has the block sizes of this problem and finite entries.
     *
     * @throws IllegalArgumentException naming the first block that does not fit
     * @param p the point, not modified
     */
    default void checkPoint(MinimaxBilevelPoint p) {
        check("x1", p.x1(), x1Domain());
        check("x2", p.x2(), x2Domain());
        check("y1", p.y1(), y1Domain());
        check("y2", p.y2(), y2Domain());
    }

    /**
     * Names the blocks of a point (of the right sizes) that lie outside their domains.
     *
     * @param p the point, not modified
     * @return one sentence per block outside its box, such as
     *     {@code "x1 = [5.0] lies outside X1 = Box[[-1, 1]]"}; empty when p is feasible
     */
    default List<String> outsideDomains(MinimaxBilevelPoint p) {
        List<String> out = new ArrayList<>();
        String[] names = {"x1", "x2", "y1", "y2"};
        DMatrixRMaj[] blocks = {p.x1(), p.x2(), p.y1(), p.y2()};
        Box[] boxes = {x1Domain(), x2Domain(), y1Domain(), y2Domain()};
        for (int b = 0; b < 4; b++) {
            if (boxes[b].dimension() > 0 && !boxes[b].contains(blocks[b])) {
                out.add(names[b] + " = " + Arrays.toString(blocks[b].data) + " lies outside "
                        + names[b].toUpperCase(Locale.ROOT) + " = " + boxes[b]);
            }
        }
        return out;
    }

    private static void check(String name, DMatrixRMaj v, Box box) {
        if (v.getNumElements() != box.dimension()) {
            throw new IllegalArgumentException(name + " has " + v.getNumElements() + " entries, its domain has "
                    + box.dimension() + " coordinates");
        }
        for (int i = 0; i < v.getNumElements(); i++) {
            if (!Double.isFinite(v.data[i])) {
                throw new IllegalArgumentException(name + " has a non-finite entry at " + i);
            }
        }
    }

    /** @return the center of every domain, a start point inside the boxes */
    default MinimaxBilevelPoint centerPoint() {
        return new MinimaxBilevelPoint(x1Domain().center(), x2Domain().center(), y1Domain().center(),
                y2Domain().center());
    }
}
