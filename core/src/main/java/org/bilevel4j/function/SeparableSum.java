package org.bilevel4j.function;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import org.ejml.data.DMatrixRMaj;

/**
 * Sum of functions of consecutive row blocks,
 * {@code f(X) = f_1(X_1) + ... + f_k(X_k)}, where {@code X = [X_1; X_2; ...; X_k]} stacks the blocks
 * and block {@code i} has {@code rows_i} rows and all the columns of {@code X}.
 *
 * <p>Prox: the prox of a separable sum is the stack of the blocks' proxes,
 * {@code prox_{t f}(X) = [prox_{t f_1}(X_1); ...; prox_{t f_k}(X_k)]}. Traits are those that every
 * part has. Lipschitz constant: {@code |f(X) - f(Y)| <= sum_i L_i ||X_i - Y_i||_F <=
 * sqrt(sum_i L_i^2) ||X - Y||_F} by Cauchy-Schwarz, so {@code sqrt(sum_i L_i^2)} when every part has
 * one.
 *
 * <p>Each call copies one block at a time into a scratch matrix (EJML matrices cannot view a row
 * range), so a call allocates one block-sized buffer.
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, 2014, section 2.1 (separable
 * sum); ProximalOperators.jl {@code SeparableSum}.
 */
public final class SeparableSum extends AbstractProxFunction {

    private final ProxFunction[] parts;
    private final int[] blockRows;
    private final int totalRows;
    private final int maxBlockRows;

    /**
     * @param parts the functions f_i, at least one, none null
     * @param blockRows the row count of each block, positive, one per function
     */
    public SeparableSum(List<? extends ProxFunction> parts, int... blockRows) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(blockRows, "blockRows");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a separable sum needs at least one function");
        }
        if (parts.size() != blockRows.length) {
            throw new IllegalArgumentException("got " + parts.size() + " functions but " + blockRows.length
                    + " block row counts");
        }
        this.parts = new ProxFunction[parts.size()];
        this.blockRows = blockRows.clone();
        long total = 0;
        int max = 0;
        for (int i = 0; i < this.parts.length; i++) {
            this.parts[i] = Objects.requireNonNull(parts.get(i), "function " + i);
            if (this.blockRows[i] <= 0) {
                throw new IllegalArgumentException("block " + i + " must have a positive row count, got "
                        + this.blockRows[i]);
            }
            total += this.blockRows[i];
            max = Math.max(max, this.blockRows[i]);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the blocks have " + total + " rows in all, too many");
        }
        this.totalRows = (int) total;
        this.maxBlockRows = max;
    }

    /** @return the number of blocks */
    public int blockCount() {
        return parts.length;
    }

    /**
     * @param i the index of the block, from 0
     * @return the function of block i
     */
    public ProxFunction part(int i) {
        return parts[i];
    }

    /**
     * @param i the index of the block, from 0
     * @return the row count of block i
     */
    public int blockRows(int i) {
        return blockRows[i];
    }

    /** @return the row count of the whole matrix, the sum of the block row counts */
    public int totalRows() {
        return totalRows;
    }

    @Override
    protected void checkShape(DMatrixRMaj x) {
        if (x.numRows != totalRows) {
            throw new IllegalArgumentException("SeparableSum expects " + totalRows + " rows (blocks of "
                    + Arrays.toString(blockRows) + "), got " + x.numRows + "x" + x.numCols);
        }
    }

    @Override
    public double value(DMatrixRMaj x) {
        checkShape(x);
        DMatrixRMaj block = new DMatrixRMaj(maxBlockRows, x.numCols);
        double s = 0;
        int offset = 0;
        for (int i = 0; i < parts.length; i++) {
            int len = blockRows[i] * x.numCols;
            block.reshape(blockRows[i], x.numCols);
            System.arraycopy(x.data, offset, block.data, 0, len);
            s += parts[i].value(block);
            offset += len;
        }
        return s;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        DMatrixRMaj block = new DMatrixRMaj(maxBlockRows, x.numCols);
        double s = 0;
        int offset = 0;
        for (int i = 0; i < parts.length; i++) {
            int len = blockRows[i] * x.numCols;
            block.reshape(blockRows[i], x.numCols);
            // block i of x is read before block i of out is written, so out may alias x
            System.arraycopy(x.data, offset, block.data, 0, len);
            s += parts[i].prox(block, t, block);
            System.arraycopy(block.data, 0, out.data, offset, len);
            offset += len;
        }
        return s;
    }

    /**
     * @param rows must equal {@link #totalRows()}
     * @throws IllegalArgumentException if {@code rows} differs from the blocks' total
     */
    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        if (rows != totalRows) {
            throw new IllegalArgumentException("SeparableSum has " + totalRows + " rows, asked for " + rows);
        }
        double sumSq = 0;
        for (int i = 0; i < parts.length; i++) {
            OptionalDouble l = parts[i].lipschitzConstant(blockRows[i], cols);
            if (l.isEmpty()) {
                return OptionalDouble.empty();
            }
            sumSq += l.getAsDouble() * l.getAsDouble();
        }
        return OptionalDouble.of(Math.sqrt(sumSq));
    }

    /** @return whether every part has the trait (a trait of the sum holds when it holds for each part) */
    private boolean all(Predicate<ProxFunction> trait) {
        return Arrays.stream(parts).allMatch(trait);
    }

    @Override
    public boolean isConvex() {
        return all(ProxFunction::isConvex);
    }

    @Override
    public boolean isSmooth() {
        return all(ProxFunction::isSmooth);
    }

    @Override
    public boolean isSetIndicator() {
        return all(ProxFunction::isSetIndicator);
    }

    @Override
    public boolean isSeparable() {
        return all(ProxFunction::isSeparable);
    }

    @Override
    public boolean isStronglyConvex() {
        return all(ProxFunction::isStronglyConvex);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SeparableSum(");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(parts[i]).append(" on ").append(blockRows[i]).append(" rows");
        }
        return sb.append(')').toString();
    }
}
