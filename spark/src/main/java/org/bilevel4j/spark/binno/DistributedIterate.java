package org.bilevel4j.spark.binno;

import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.bilevel4j.problem.BlockIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * A point (X, Y) of a {@link DistributedFactorization}: X (m x r) as row blocks aligned with M's, Y
 * (r x n) on the driver.
 *
 * <p>A solution handed out by {@link SparkBinno} is backed by cached, locally checkpointed blocks:
 * read it ({@link #collect}, {@link #x()}) before calling {@link #release}, which frees them.
 */
public final class DistributedIterate {

    private final JavaRDD<XBlock> x;
    private final DMatrixRMaj y;
    private final int m;
    private final int r;
    private final Runnable release;

    DistributedIterate(JavaRDD<XBlock> x, DMatrixRMaj y, int m, int r) {
        this(x, y, m, r, () -> { });
    }

    DistributedIterate(JavaRDD<XBlock> x, DMatrixRMaj y, int m, int r, Runnable release) {
        this.x = Objects.requireNonNull(x, "x");
        this.y = y;
        this.m = m;
        this.r = r;
        this.release = release;
    }

    /** @return X as row blocks */
    public JavaRDD<XBlock> x() {
        return x;
    }

    /** @return Y (a copy) */
    public DMatrixRMaj y() {
        return y.copy();
    }

    /** @return (X, Y) on the driver: X's blocks collected and put in row order */
    public BlockIterate collect() {
        DMatrixRMaj all = new DMatrixRMaj(m, r);
        List<XBlock> parts = x.collect();
        for (XBlock b : parts) {
            System.arraycopy(b.x().data, 0, all.data, b.offset() * r, b.x().getNumElements());
        }
        return new BlockIterate(all, y);
    }

    /** Frees the cached blocks behind a solution (nothing for a start point). */
    public void release() {
        release.run();
    }
}
