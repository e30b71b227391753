/**
 * Video background/foreground separation: clips as pixels x frames matrices ({@link
 * org.bilevel4j.apps.video.Clip}), their readers ({@link org.bilevel4j.apps.video.ClipReader}: NumPy
 * frame dumps, uncompressed AVI, MATLAB v5 .mat, folders of PNG/PGM frames), the seeded corruption
 * model of the BINNO paper ({@link org.bilevel4j.apps.video.Corruption}), the metrics and montages
 * ({@link org.bilevel4j.apps.video.VideoMetrics}, {@link org.bilevel4j.apps.video.Montage}), and the
 * experiment runner ({@link org.bilevel4j.apps.video.VideoExperiment}).
 */
package org.bilevel4j.apps.video;
