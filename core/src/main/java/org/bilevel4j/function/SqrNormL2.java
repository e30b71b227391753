package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Squared Frobenius norm {@code f(X) = (lambda / 2) ||X||_F^2 = (lambda / 2) sum_ij X_ij^2},
 * {@code lambda >= 0}.
 *
 * <p>Both a {@link ProxFunction} and a {@link SmoothFunction}:
 * <ul>
 *   <li>prox: the optimality condition {@code lambda v + (v - x) / t = 0} gives
 *       {@code prox_{t f}(X) = X / (1 + t lambda)};</li>
 *   <li>gradient {@code grad f(X) = lambda X}, Lipschitz with constant {@code lambda};</li>
 *   <li>strongly convex with modulus {@code lambda} when {@code lambda > 0}.</li>
 * </ul>
 * {@code f} itself is not Lipschitz (it grows quadratically) unless {@code lambda = 0}, so
 * {@link #lipschitzConstant(int, int)} is empty for {@code lambda > 0}.
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, Found. Trends Optim. 1(3),
 * 2014, section 6.1.1 (generalized quadratics).
 */
public final class SqrNormL2 extends AbstractProxFunction implements SmoothFunction {

    private final double lambda;

    /** @param lambda the weight, finite and nonnegative */
    public SqrNormL2(double lambda) {
        this.lambda = requireNonnegative("lambda", lambda);
    }

    /** {@code f(X) = ||X||_F^2 / 2}, the weight {@code lambda = 1}. */
    public SqrNormL2() {
        this(1.0);
    }

    /** @return the weight lambda */
    public double lambda() {
        return lambda;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return 0.5 * lambda * sumOfSquares(x.data, x.getNumElements());
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        checkGradientShape(x, gradient);
        double[] in = x.data;
        double[] g = gradient.data;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = in[i];
            s += v * v;
            g[i] = lambda * v;
        }
        return 0.5 * lambda * s;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double c = 1.0 / (1.0 + t * lambda);
        double[] in = x.data;
        double[] o = out.data;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = c * in[i];
            o[i] = v;
            s += v * v;
        }
        return 0.5 * lambda * s;
    }

    /** @return {@code lambda}, the Lipschitz constant of the gradient */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(lambda);
    }

    /** @return 0 when {@code lambda = 0}; otherwise empty, as {@code f} grows quadratically */
    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return lambda == 0 ? OptionalDouble.of(0.0) : OptionalDouble.empty();
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSmooth() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public boolean isStronglyConvex() {
        return lambda > 0;
    }

    @Override
    public String toString() {
        return "SqrNormL2(" + lambda + ")";
    }

    static double sumOfSquares(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * a[i];
        }
        return s;
    }

    static void checkGradientShape(DMatrixRMaj x, DMatrixRMaj gradient) {
        if (x.numRows != gradient.numRows || x.numCols != gradient.numCols) {
            throw new IllegalArgumentException("gradient is " + gradient.numRows + "x" + gradient.numCols
                    + " but the input is " + x.numRows + "x" + x.numCols);
        }
        if (gradient == x) {
            throw new IllegalArgumentException("gradient must not alias the input");
        }
    }
}
