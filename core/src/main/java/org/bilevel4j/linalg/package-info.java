/**
 * Dense linear algebra helpers over EJML's row-major {@link org.ejml.data.DMatrixRMaj}: the single
 * {@link org.bilevel4j.linalg.Gemm} entry point for products (native BLAS when present), small
 * kernels in {@link org.bilevel4j.linalg.MatOps}, and the thin SVD in {@link org.bilevel4j.linalg.ThinSvd}.
 */
package org.bilevel4j.linalg;
