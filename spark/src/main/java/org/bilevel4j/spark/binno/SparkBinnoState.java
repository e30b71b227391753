package org.bilevel4j.spark.binno;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.SolverState;
import org.bilevel4j.solver.binno.BinnoState;
import org.ejml.data.DMatrixRMaj;

/**
 * The state of a {@link SparkBinno} run. On the driver: Y, the small matrices and the numbers of the
 * last step; on the executors: the current row blocks of X with the pending X step (cached and
 * locally checkpointed). {@link #commit} keeps the blocks of the last finite iterate until the next
 * commit, so that {@link #rollback} can return to them.
 */
public final class SparkBinnoState implements SolverState<DistributedIterate> {

    final DistributedFactorization problem;

    // the current point and the first pass made there
    JavaRDD<StepBlock> blocks;
    DMatrixRMaj y;
    DMatrixRMaj gramY;
    StepStats stats;
    double lx;
    double nuXNext;
    double psi1;
    double psi2;
    boolean finite;

    // the last committed point
    private JavaRDD<StepBlock> goodBlocks;
    private DMatrixRMaj yGood;
    private DMatrixRMaj gramYGood;
    private StepStats statsGood;
    private double lxGood;
    private double nuXNextGood;
    private double psi1Good;
    private double psi2Good;

    // the last step's numbers
    int iteration;
    double alpha = Double.NaN;
    double beta = Double.NaN;
    double nuX = Double.NaN;
    double nuY = Double.NaN;
    boolean psi1Decreased;
    boolean psi2Decreased;
    int trials;
    boolean descentFailed;
    int descentFailures;
    /** Spark jobs run by the last step (2, plus one per extra linesearch trial). */
    int jobs;

    SparkBinnoState(DistributedFactorization problem) {
        this.problem = problem;
    }

    /** @return completed iterations */
    public int iteration() {
        return iteration;
    }

    /** @return the current Psi1 */
    public double psi1() {
        return psi1;
    }

    /** @return the current Psi2 */
    public double psi2() {
        return psi2;
    }

    /** @return the current Y (a copy) */
    public DMatrixRMaj y() {
        return y.copy();
    }

    /** @return the Spark jobs of the last step */
    public int jobsLastStep() {
        return jobs;
    }

    @Override
    public List<String> traceColumns() {
        return BinnoState.TRACE_COLUMNS;
    }

    @Override
    public void traceValues(double[] out) {
        BinnoState.traceRow(out, psi1, psi2, alpha, beta, nuX, nuY, psi1Decreased, psi2Decreased, trials,
                descentFailed);
    }

    @Override
    public List<String> warnings() {
        String note = BinnoState.descentNote(descentFailures, iteration);
        return note == null ? List.of() : List.of(note);
    }

    @Override
    public double[] objectives() {
        return new double[] {psi1, psi2};
    }

    @Override
    public boolean isFinite() {
        return finite && Double.isFinite(psi1) && Double.isFinite(psi2) && MatOps.isFinite(y);
    }

    @Override
    public void commit() {
        if (goodBlocks != null && goodBlocks != blocks) {
            goodBlocks.unpersist(false);
        }
        goodBlocks = blocks;
        yGood = y.copy();
        gramYGood = gramY.copy();
        statsGood = stats;
        lxGood = lx;
        nuXNextGood = nuXNext;
        psi1Good = psi1;
        psi2Good = psi2;
    }

    @Override
    public void rollback() {
        if (goodBlocks == null) {
            throw new IllegalStateException("nothing committed");
        }
        if (blocks != null && blocks != goodBlocks) {
            blocks.unpersist(false);
        }
        blocks = goodBlocks;
        y = yGood.copy();
        gramY = gramYGood.copy();
        stats = statsGood;
        lx = lxGood;
        nuXNext = nuXNextGood;
        psi1 = psi1Good;
        psi2 = psi2Good;
        finite = true;
    }

    /** Replaces the current blocks, freeing the old ones unless they are the committed ones. */
    void replaceBlocks(JavaRDD<StepBlock> next) {
        if (blocks != null && blocks != goodBlocks && blocks != next) {
            blocks.unpersist(false);
        }
        blocks = next;
    }

    /**
     * @return the current point: X's blocks (backed by this state's cached blocks; read them before
     *     {@link DistributedIterate#release}) and Y
     */
    @Override
    public DistributedIterate solution() {
        JavaRDD<StepBlock> b = blocks;
        JavaRDD<StepBlock> g = goodBlocks;
        JavaRDD<XBlock> x = b.map(s -> new XBlock(s.offset, s.x));
        return new DistributedIterate(x, y.copy(), problem.rows(), problem.rank(), () -> {
            b.unpersist(false);
            if (g != null && g != b) {
                g.unpersist(false);
            }
        });
    }

    /** Frees every cached block of this run; the state cannot step afterwards. */
    public void release() {
        if (blocks != null) {
            blocks.unpersist(false);
        }
        if (goodBlocks != null) {
            goodBlocks.unpersist(false);
        }
    }
}
