/**
 * Report folders of command runs, reusable by every command: {@code report.json}, traces, plots and
 * sparsity pictures ({@link org.bilevel4j.cli.report.ReportWriter},
 * {@link org.bilevel4j.cli.report.Plots}), the all-or-nothing output folder
 * ({@link org.bilevel4j.cli.report.OutputDir}), the summary table and the progress bar.
 */
package org.bilevel4j.cli.report;
