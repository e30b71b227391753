package org.bilevel4j.spark.binno;

import java.io.Serializable;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * The rows of the factor X (m x r) that belong to one {@link RowBlock} of M: rows
 * {@code offset .. offset + x.numRows - 1}.
 *
 * @param offset the index of the first row
 * @param x the rows (not copied: treat as read-only)
 */
public record XBlock(int offset, DMatrixRMaj x) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Rejects null. */
    public XBlock {
        Objects.requireNonNull(x, "x");
    }
}
