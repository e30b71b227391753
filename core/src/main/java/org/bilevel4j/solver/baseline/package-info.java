/**
 * Baseline methods for low-rank plus sparse decompositions, run on the shared
 * {@link org.bilevel4j.solver.Driver} so that they compare side by side with BINNO:
 * {@link org.bilevel4j.solver.baseline.Nmf} (Lee-Seung multiplicative updates),
 * {@link org.bilevel4j.solver.baseline.RobustPca} (inexact augmented Lagrangian method of Lin, Chen
 * and Ma) and {@link org.bilevel4j.solver.baseline.StablePcp} (stable principal component pursuit of
 * Zhou, Li, Wright, Candes and Ma, by an accelerated proximal gradient with continuation).
 *
 * <p>Singular value thresholding of large matrices uses a partial (randomized) SVD of the leading
 * triplets when the predicted rank is small; see {@link org.bilevel4j.solver.baseline.SvdPolicy}.
 */
package org.bilevel4j.solver.baseline;
