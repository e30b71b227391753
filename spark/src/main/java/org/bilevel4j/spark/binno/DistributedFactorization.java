package org.bilevel4j.spark.binno;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.ejml.data.DMatrixRMaj;

/**
 * The sparse low-rank factorization of BINNO on a row-partitioned data matrix:
 * <pre>
 *   minimize    Psi1(X, Y) = lambda1 ||X||_1 + g1(Y) + H(X, Y)              (upper level)
 *   over        argmin Psi2(X, Y) = gamma1 ||X||_* + g2(Y) + H(X, Y)        (lower level)
 *   H(X, Y) = 1/2 ||X Y - M||_F^2,   X m x r,  Y r x n,
 * </pre>
 * with M (m x n, m large) an RDD of {@link RowBlock}s, one block a partition, cached. The terms on
 * X must be row-separable or reducible over row blocks, which is why they are fixed here (the l1
 * norm is separable; the nuclear norm goes through {@link Tsqr}); the terms on Y (r x n) live on the
 * driver and may be any {@link ProxFunction}. The paper's video problem takes
 * {@code g1 = lambda2 ||Y||_1}, {@code g2 = gamma2 ||Y||_*} [Selicato, Esposito, Ang,
 * arXiv:2510.21390].
 *
 * <p>{@link #of} checks the blocks in one pass (contiguous offsets from row 0, one column count,
 * finite entries, one block per partition) and computes {@code ||M||_F^2}.
 */
public final class DistributedFactorization {

    private final JavaRDD<RowBlock> blocks;
    private final int m;
    private final int n;
    private final int rank;
    private final int[] offsets;
    private final double normSq;
    private final NormL1 f1;
    private final ProxFunction g1;
    private final NuclearNorm f2;
    private final ProxFunction g2;

    private DistributedFactorization(JavaRDD<RowBlock> blocks, int m, int n, int rank, int[] offsets, double normSq,
            NormL1 f1, ProxFunction g1, NuclearNorm f2, ProxFunction g2) {
        this.blocks = blocks;
        this.m = m;
        this.n = n;
        this.rank = rank;
        this.offsets = offsets;
        this.normSq = normSq;
        this.f1 = f1;
        this.g1 = g1;
        this.f2 = f2;
        this.g2 = g2;
    }

    /**
     * Builds the problem. Blocks that are not cached yet are cached (memory, deserialized) and locally
     * checkpointed, so that tasks do not carry the lineage (a parallelized collection's partitions hold
     * the data); cached blocks are used as they are.
     *
     * @param blocks M as row blocks, one block a partition, in row order
     * @param rank r, between 1 and min(m, n)
     * @param lambda1 the weight of {@code f1 = lambda1 ||X||_1}
     * @param g1 the upper-level term on Y
     * @param gamma1 the weight of {@code f2 = gamma1 ||X||_*}
     * @param g2 the lower-level term on Y
     * @throws IllegalArgumentException for blocks that do not tile a matrix, non-finite data, or a rank
     *     out of range
     */
    public static DistributedFactorization of(JavaRDD<RowBlock> blocks, int rank, double lambda1, ProxFunction g1,
            double gamma1, ProxFunction g2) {
        Objects.requireNonNull(blocks, "blocks");
        NormL1 f1 = new NormL1(lambda1);
        NuclearNorm f2 = new NuclearNorm(gamma1);
        Objects.requireNonNull(g1, "g1");
        Objects.requireNonNull(g2, "g2");
        boolean cachedHere = blocks.getStorageLevel().equals(StorageLevel.NONE());
        try {
            return validate(blocks, cachedHere, rank, f1, g1, f2, g2);
        } catch (IllegalArgumentException e) {
            if (cachedHere) {
                blocks.unpersist(false);
            }
            throw e;
        }
    }

    private static DistributedFactorization validate(JavaRDD<RowBlock> blocks, boolean cache, int rank, NormL1 f1,
            ProxFunction g1, NuclearNorm f2, ProxFunction g2) {
        if (cache) {
            // cache, and cut the lineage: the partitions of a parallelized collection hold the data
            // itself, and every task of every iteration would otherwise carry its block along
            blocks.persist(StorageLevel.MEMORY_ONLY());
            blocks.rdd().localCheckpoint();
        }
        // per partition: {partition, offset, rows, cols, normSq, nonFinite, blocks in the partition}
        List<double[]> info = blocks.mapPartitionsWithIndex((part, it) -> {
            List<double[]> out = new ArrayList<>();
            int count = 0;
            double[] first = null;
            while (it.hasNext()) {
                RowBlock b = it.next();
                count++;
                double s = 0;
                int bad = -1;
                double[] d = b.rows().data;
                int len = b.rows().getNumElements();
                for (int i = 0; i < len; i++) {
                    if (!Double.isFinite(d[i])) {
                        bad = i;
                        break;
                    }
                    s += d[i] * d[i];
                }
                if (first == null) {
                    first = new double[] {part, b.offset(), b.rows().numRows, b.rows().numCols, s,
                        bad < 0 ? -1 : b.offset() + bad / Math.max(1, b.rows().numCols), 0};
                }
            }
            if (first != null) {
                first[6] = count;
                out.add(first);
            } else {
                out.add(new double[] {part, -1, 0, 0, 0, -1, 0});
            }
            return out.iterator();
        }, true).collect();
        List<double[]> sorted = new ArrayList<>(info);
        sorted.sort(Comparator.comparingDouble(v -> v[0]));
        int rows = 0;
        int cols = -1;
        double normSq = 0;
        int[] offsets = new int[sorted.size()];
        for (int p = 0; p < sorted.size(); p++) {
            double[] v = sorted.get(p);
            if (v[6] != 1) {
                throw new IllegalArgumentException("partition " + p + " holds " + (int) v[6]
                        + " row blocks; the distributed BINNO needs exactly one block a partition");
            }
            if ((int) v[1] != rows) {
                throw new IllegalArgumentException("the row block of partition " + p + " starts at row " + (int) v[1]
                        + ", expected " + rows + " (blocks must tile M in row order)");
            }
            if (cols >= 0 && (int) v[3] != cols) {
                throw new IllegalArgumentException("the row block at row " + (int) v[1] + " has " + (int) v[3]
                        + " columns, the others " + cols);
            }
            if (v[5] >= 0) {
                throw new IllegalArgumentException("data matrix has a non-finite entry in row " + ((long) v[5] + 1));
            }
            if (v[2] < 1) {
                throw new IllegalArgumentException("the row block at row " + (int) v[1] + " is empty");
            }
            cols = (int) v[3];
            offsets[p] = rows;
            rows += (int) v[2];
            normSq += v[4];
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("data matrix is empty (" + rows + "x" + Math.max(cols, 0) + ")");
        }
        int max = Math.min(rows, cols);
        if (rank < 1 || rank > max) {
            throw new IllegalArgumentException("rank must be between 1 and min(m, n) = " + max + ", got " + rank);
        }
        return new DistributedFactorization(blocks, rows, cols, rank, offsets, normSq, f1, g1, f2, g2);
    }

    /** @return M as cached row blocks */
    public JavaRDD<RowBlock> blocks() {
        return blocks;
    }

    /** @return the Spark context of the blocks */
    public JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(blocks.context());
    }

    /** @return m, the rows of M */
    public int rows() {
        return m;
    }

    /** @return n, the columns of M */
    public int cols() {
        return n;
    }

    /** @return the rank r */
    public int rank() {
        return rank;
    }

    /** @return the number of row blocks (partitions) */
    public int partitions() {
        return offsets.length;
    }

    /** @return {@code ||M||_F^2} */
    public double normSqData() {
        return normSq;
    }

    /** @return {@code f1 = lambda1 ||X||_1} */
    public NormL1 f1() {
        return f1;
    }

    /** @return {@code f2 = gamma1 ||X||_*} */
    public NuclearNorm f2() {
        return f2;
    }

    /** @return the upper-level term on Y */
    public ProxFunction g1() {
        return g1;
    }

    /** @return the lower-level term on Y */
    public ProxFunction g2() {
        return g2;
    }

    /**
     * @return whether H is summed from the residual, as {@link FactorizationCoupling} does for a matrix of
     *     at most {@link FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS} entries, rather than from the
     *     products {@code 1/2 (||M||^2 - 2 <X, M Y^T> + <X^T X, Y Y^T>)}
     */
    public boolean exactValues() {
        return (long) m * n <= FactorizationCoupling.EXACT_VALUE_MAX_ELEMENTS;
    }

    /** @return the Frobenius-norm Lipschitz constants {f1, f2} on an m x r block */
    OptionalDouble[] xConstants() {
        return new OptionalDouble[] {f1.lipschitzConstant(m, rank), f2.lipschitzConstant(m, rank)};
    }

    /**
     * Distributes a start point held on the driver: X is broadcast once and each block keeps its rows.
     *
     * @throws IllegalArgumentException for shapes that do not fit M and r
     */
    public DistributedIterate distribute(BlockIterate start) {
        DMatrixRMaj x = start.x();
        DMatrixRMaj y = start.y();
        if (x.numRows != m || x.numCols != rank || y.numRows != rank || y.numCols != n) {
            throw new IllegalArgumentException("start has X " + x.numRows + "x" + x.numCols + " and Y " + y.numRows
                    + "x" + y.numCols + ", expected " + m + "x" + rank + " and " + rank + "x" + n);
        }
        Broadcast<DMatrixRMaj> bx = context().broadcast(x);
        int r = rank;
        JavaRDD<XBlock> xb = blocks.map(b -> {
            DMatrixRMaj all = bx.value();
            int k = b.rows().numRows;
            DMatrixRMaj part = new DMatrixRMaj(k, r);
            System.arraycopy(all.data, b.offset() * r, part.data, 0, k * r);
            return new XBlock(b.offset(), part);
        });
        return new DistributedIterate(xb, y.copy(), m, rank);
    }

    /**
     * The uniform start of the method page, the same as
     * {@link org.bilevel4j.problem.BlockCompositeBilevelProblem#uniformStart} on the same sizes: X and Y
     * uniform on [0, 1) from {@code SplittableRandom(seed)}, X row by row then Y. X is drawn on the
     * driver (m r doubles) and distributed.
     */
    public DistributedIterate uniformStart(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(m, rank);
        DMatrixRMaj y = new DMatrixRMaj(rank, n);
        for (int i = 0; i < x.getNumElements(); i++) {
            x.data[i] = rnd.nextDouble();
        }
        for (int i = 0; i < y.getNumElements(); i++) {
            y.data[i] = rnd.nextDouble();
        }
        return distribute(new BlockIterate(x, y));
    }

    /** @return the row offsets of the blocks, in partition order */
    int[] offsets() {
        return offsets.clone();
    }
}
