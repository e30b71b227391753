/**
 * Bilevel group DRO on imbalanced FashionMNIST (issue 17): the seeded split with PCA features
 * ({@link org.bilevel4j.apps.robust.ImbalancedSplit}), per-class softmax losses and their bounds
 * ({@link org.bilevel4j.apps.robust.ClassLosses}), the baselines ERM, class-balanced reweighting and group
 * DRO trained to a gradient norm ({@link org.bilevel4j.apps.robust.LowerLevelFit}), the bilevel minimax
 * problem that learns per-class loss shifts ({@link org.bilevel4j.apps.robust.GroupDroBilevel}), its inner
 * solver by best responses and L-BFGS ({@link org.bilevel4j.apps.robust.GroupDroInnerSolver}) and the
 * experiment of one seed ({@link org.bilevel4j.apps.robust.RobustExperiment}). After the worst-group
 * experiments of Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel Optimization with
 * Minimax and Constrained Lower-Level Problems", arXiv:2605.08006, 2026; group DRO after Sagawa, Koh,
 * Hashimoto, Liang, "Distributionally Robust Neural Networks", ICLR 2020.
 */
package org.bilevel4j.apps.robust;
