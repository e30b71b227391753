package org.bilevel4j.spark.binno;

import java.io.Serializable;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A block of consecutive rows of a matrix: rows {@code offset .. offset + rows.numRows - 1}.
 * The data matrix M of a {@link DistributedFactorization} is an RDD of these, one block a
 * partition; the rows of the factor X travel in {@link XBlock}s with the same offsets.
 *
 * @param offset the index of the block's first row in the whole matrix
 * @param rows the block's rows (not copied: treat as read-only)
 */
public record RowBlock(int offset, DMatrixRMaj rows) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates. */
    public RowBlock {
        Objects.requireNonNull(rows, "rows");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be nonnegative, got " + offset);
        }
    }
}
