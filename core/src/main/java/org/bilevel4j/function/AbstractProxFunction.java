package org.bilevel4j.function;

import org.ejml.data.DMatrixRMaj;

/**
 * Base class of every {@link ProxFunction}: checks the shared preconditions once, so each operator
 * only writes its mathematics in {@link #proxUnchecked}.
 */
public abstract class AbstractProxFunction implements ProxFunction {

    @Override
    public final double prox(DMatrixRMaj x, double t, DMatrixRMaj out) {
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("prox step t must be positive and finite, got " + t);
        }
        if (x.numRows != out.numRows || x.numCols != out.numCols) {
            throw new IllegalArgumentException("prox output is " + out.numRows + "x" + out.numCols
                    + " but the input is " + x.numRows + "x" + x.numCols);
        }
        checkShape(x);
        return proxUnchecked(x, t, out);
    }

    /**
     * The operator itself; the arguments have been checked.
     *
     * @see ProxFunction#prox(DMatrixRMaj, double, DMatrixRMaj)
     * @param x the point x, not modified
     * @param t the step, positive
     * @param out modified: receives the result
     * @return {@code f(out)}
     */
    protected abstract double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out);

    /**
     * Hook for functions defined on one shape only (a box with matrix bounds): throw an
     * {@link IllegalArgumentException} naming the expected shape. Default: any shape.
     *
     * @param x the point x, not modified
     */
    protected void checkShape(DMatrixRMaj x) {
    }

    /**
     * @throws IllegalArgumentException unless {@code value} is finite and nonnegative
     *
     * @param name the parameter's name, for the message
     * @param value the value to check
     * @return {@code value}
     */
    protected static double requireNonnegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and nonnegative, got " + value);
        }
        return value;
    }

    /**
     * @throws IllegalArgumentException unless {@code value} is finite and positive
     *
     * @param name the parameter's name, for the message
     * @param value the value to check
     * @return {@code value}
     */
    protected static double requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and positive, got " + value);
        }
        return value;
    }
}
