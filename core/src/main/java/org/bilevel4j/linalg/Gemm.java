package org.bilevel4j.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one entry point for dense matrix products in bilevel4j:
 * {@code C = alpha op(A) op(B) + beta C} with {@code op(X)} either {@code X} or {@code X^T}.
 *
 * <p>Products whose work {@code m n k} exceeds {@link #NATIVE_THRESHOLD} go to native BLAS
 * ({@code dgemm} through dev.ludovic.netlib) when the machine has one, and to bilevel4j's own
 * multi-threaded pure-Java kernels otherwise (tuned for the thin products of matrix
 * factorization, {@code M Y^T} and {@code X^T M}, see {@code JavaGemm}). Small products use EJML's
 * single-threaded kernels, which avoid the JNI and thread start-up costs. The pure-Java kernels
 * use {@code bilevel4j.threads} threads (system property; default: all available processors)
 * and give the same bits for any thread count.
 *
 * <p>EJML stores matrices row-major while BLAS is column-major; a row-major {@code C = A B} is
 * the column-major {@code C^T = B^T A^T}, so the call swaps the operands instead of copying.
 *
 * <p>Arguments: {@code a} and {@code b} are not modified; {@code c} is modified and must
 * already have the result's shape and must not alias {@code a} or {@code b}.
 */
public final class Gemm {

    /** Work (m n k multiply-adds) above which a product leaves the single-threaded kernel. */
    public static final long NATIVE_THRESHOLD = 200_000L;

    private Gemm() {
    }

    /** Held so that the quieted logger keeps its level (loggers are weakly referenced). */
    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    private static final BLAS NATIVE = loadNative();

    private static BLAS loadNative() {
        if (Boolean.getBoolean("bilevel4j.noNativeBlas")) {
            return null;
        }
        // netlib logs a warning for every implementation it cannot load; a missing native BLAS is
        // normal here (we fall back to Java), so the probe stays quiet and info reports the result.
        Level before = NETLIB_LOG.getLevel();
        NETLIB_LOG.setLevel(Level.OFF);
        try {
            return NativeBLAS.getInstance();
        } catch (Throwable e) {
            return null;
        } finally {
            NETLIB_LOG.setLevel(before);
        }
    }

    /** @return a short description of the kernel used for large products. */
    public static String backend() {
        return NATIVE != null ? "native BLAS (" + NATIVE.getClass().getSimpleName() + ")"
                : "pure Java (" + Parallel.threads() + (Parallel.threads() == 1 ? " thread" : " threads")
                        + (JavaGemm.FMA ? ", fused multiply-add" : "") + ")";
    }

    /**
     * @return whether this JVM has the Vector API module ({@code jdk.incubator.vector}) and uses it
     *     ({@link TallMatrix}'s register-blocked kernels, the thin QR's dot products); results then
     *     differ from a JVM without it by rounding
     */
    public static boolean vectorApi() {
        return PanelKernels.AVAILABLE;
    }

    /**
     * @return which kernels the products of this JVM run, for benchmark reports: native BLAS or the
     *     pure-Java kernels (threads, fused multiply-add), and whether the Vector API (module
     *     {@code jdk.incubator.vector}) is loaded, which {@link TallMatrix}, the thin QR of
     *     {@link ThinSvd} and {@link ThinSvt} and, with fused multiply-adds in hardware, the tall products with
     *     a small inner dimension, the Gram matrices of thin factors and the passes over a data matrix M
     *     ({@code X^T M}, and {@code M Y^T} from {@link TransposedMatrix}) of at least 4 million multiply-adds use
     */
    public static String kernels() {
        return (NATIVE != null ? "native BLAS (" + NATIVE.getClass().getSimpleName() + ") above "
                + NATIVE_THRESHOLD + " multiply-adds, pure Java below" : "no native BLAS: " + backend())
                + "; Vector API " + (vectorApi()
                        ? "loaded (TallMatrix register-blocked kernels, thin QR dot products"
                                + (JavaGemm.VECTOR_ROWS
                                        ? ", m x r by r x r products, thin Gram matrices, passes over large M,"
                                                + " long rows by thin factors)" : ")")
                        : "not loaded (auto-vectorized loops only)");
    }

    /**
     * @return the number of threads the pure-Java kernels use, the calling thread included: the
     *     system property {@code bilevel4j.threads} (read once), default all available processors
     */
    public static int threads() {
        return Parallel.threads();
    }

    /** @return whether large products run on native BLAS. */
    public static boolean nativeAvailable() {
        return NATIVE != null;
    }

    /**
     * @param work the multiply-adds of a product
     * @return whether {@link #gemm} sends a product of that size to the native BLAS
     */
    static boolean runsNative(long work) {
        return NATIVE != null && work >= NATIVE_THRESHOLD;
    }

    /**
     * {@code c = a b}.
     *
     * @param a the left factor, not modified
     * @param b the right factor, not modified
     * @param c modified: receives the product
     */
    public static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        gemm(false, false, 1.0, a, b, 0.0, c);
    }

    /**
     * {@code c = a^T b}.
     *
     * @param a the left factor (transposed), not modified
     * @param b the right factor, not modified
     * @param c modified: receives the product
     */
    public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        gemm(true, false, 1.0, a, b, 0.0, c);
    }

    /**
     * {@code c = a b^T}.
     *
     * @param a the left factor, not modified
     * @param b the right factor (transposed), not modified
     * @param c modified: receives the product
     */
    public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        gemm(false, true, 1.0, a, b, 0.0, c);
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c}.
     *
     * @param transA whether to use {@code a^T}
     * @param transB whether to use {@code b^T}
     * @throws IllegalArgumentException if the shapes do not match
     * @param alpha the weight of the product
     * @param a the left factor, not modified
     * @param b the right factor, not modified
     * @param beta the weight of the old c
     * @param c modified: the result
     */
    public static void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b,
            double beta, DMatrixRMaj c) {
        int m = transA ? a.numCols : a.numRows;
        int k = transA ? a.numRows : a.numCols;
        int kb = transB ? b.numCols : b.numRows;
        int n = transB ? b.numRows : b.numCols;
        if (k != kb) {
            throw new IllegalArgumentException("inner dimensions differ: op(A) is " + m + "x" + k
                    + ", op(B) is " + kb + "x" + n);
        }
        if (c.numRows != m || c.numCols != n) {
            throw new IllegalArgumentException("C is " + c.numRows + "x" + c.numCols + ", expected " + m + "x" + n);
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("C must not alias A or B");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0.0) {
                CommonOps_DDRM.fill(c, 0.0);
            } else {
                CommonOps_DDRM.scale(beta, c);
            }
            return;
        }
        long work = (long) m * n * k;
        if (runsNative(work)) {
            // row-major C (m x n) == column-major C^T (n x m) = op(B)^T op(A)^T
            NATIVE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
                    b.data, b.numCols, a.data, a.numCols, beta, c.data, c.numCols);
            return;
        }
        JavaGemm.gemm(transA, transB, alpha, a, b, beta, c);
    }
}
