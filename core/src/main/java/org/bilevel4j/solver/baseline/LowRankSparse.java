package org.bilevel4j.solver.baseline;

import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * A decomposition {@code M ~ L + S} into a low-rank part L and a sparse part S, both m x n.
 *
 * <p>Unlike {@link org.bilevel4j.problem.BlockIterate} the record holds the matrices it is given,
 * without copying: for a 76800 x 500 clip every m x n copy costs 300 MB. Solvers copy a start into
 * their own buffers and hand out fresh matrices as solutions; callers must not modify what the
 * accessors return while a solver uses it.
 *
 * @param low the low-rank part L
 * @param sparse the sparse part S
 */
public record LowRankSparse(DMatrixRMaj low, DMatrixRMaj sparse) {

    /**
     * Checks that both parts have the same shape.
     *
     * @param low the low-rank part L
     * @param sparse the sparse part S
     */
    public LowRankSparse {
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(sparse, "sparse");
        MatOps.checkSameShape(low, sparse);
    }

    /**
     * @param rows the number of rows
     * @param cols the number of columns
     * @return L = 0, S = 0 of the given shape
     */
    public static LowRankSparse zeros(int rows, int cols) {
        return new LowRankSparse(new DMatrixRMaj(rows, cols), new DMatrixRMaj(rows, cols));
    }
}
