/**
 * Data hyper-cleaning on MNIST and FashionMNIST: IDX readers
 * ({@link org.bilevel4j.apps.cleaning.IdxReader}), the data protocol and label corruption
 * ({@link org.bilevel4j.apps.cleaning.CleaningDataset}), the bilevel problem
 * ({@link org.bilevel4j.apps.cleaning.HyperCleaningProblem}) with batched, memoized softmax
 * products, and the experiment ({@link org.bilevel4j.apps.cleaning.HyperCleaning}): MEHA, BOME and
 * the sanity baselines, with test accuracy and F1 of clean-sample detection against time.
 */
package org.bilevel4j.apps.cleaning;
