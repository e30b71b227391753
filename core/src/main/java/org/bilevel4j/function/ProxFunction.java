package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * A closed proper function {@code f} whose proximal operator is cheap.
 *
 * <p>The step-size convention, once for all implementations:
 * <pre>
 *   prox_{t f}(x) = argmin_v  f(v) + ||v - x||_F^2 / (2 t),    t &gt; 0.
 * </pre>
 * (Not {@code argmin t f(v) + ||v - x||^2 / 2} with {@code 1/t}: larger {@code t} means a longer
 * backward step.) For a nonconvex {@code f} the argmin may be a set; implementations return one
 * element of it and document which.
 *
 * <p>Matrices are EJML {@link DMatrixRMaj}; vectors are n x 1 matrices. The preconditions shared by
 * every operator ({@code t > 0}, finite; {@code out} of {@code x}'s shape) are checked once, in
 * {@link AbstractProxFunction}.
 *
 * <p>To add an operator: extend {@link AbstractProxFunction}, validate parameters in the
 * constructor, implement {@link #value} and {@code proxUnchecked}, declare traits, and give the test
 * class the reusable prox contract of the core test fixtures ({@code ProxContract}): optimality
 * condition, brute-force minimization, nonexpansiveness and aliasing.
 */
public interface ProxFunction extends FunctionTraits {

    /**
     * @param x the point, not modified
     * @return {@code f(x)}, possibly {@code +infinity} (indicators outside their set)
     */
    double value(DMatrixRMaj x);

    /**
     * Computes {@code out = prox_{t f}(x)}.
     *
     * @param x the point, not modified unless {@code out == x}
     * @param t the step, positive and finite
     * @param out modified: the result; may alias {@code x}; must have {@code x}'s shape
     * @return {@code f(out)} (0 for indicators)
     */
    double prox(DMatrixRMaj x, double t, DMatrixRMaj out);

    /**
     * Allocating form of {@link #prox(DMatrixRMaj, double, DMatrixRMaj)}.
     *
     * @param x the point x, not modified
     * @param t the step, positive
     * @return a new matrix holding {@code prox_{t f}(x)}
     */
    default DMatrixRMaj prox(DMatrixRMaj x, double t) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        prox(x, t, out);
        return out;
    }

    /**
     * The Lipschitz constant of {@code f} with respect to the Frobenius norm on a
     * {@code rows x cols} block, when it has one: {@code lambda sqrt(rows cols)} for
     * {@code lambda ||.||_1}. BINNO's weight windows need it.
     *
     * @return the constant, or empty when {@code f} is not Lipschitz (an indicator of a set, a
     *     quadratic)
     * @param rows the number of rows
     * @param cols the number of columns
     */
    default OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.empty();
    }
}
