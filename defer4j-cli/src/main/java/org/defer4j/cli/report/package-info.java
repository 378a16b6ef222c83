/**
 * Self-contained HTML reports with charts rendered by XChart: {@link
 * org.defer4j.cli.report.HtmlReport} (the page), {@link org.defer4j.cli.report.Charts} (charts and
 * the per-report colour palette) and {@link org.defer4j.cli.report.EvaluationReport} (the sections
 * of an evaluation).
 */
package org.defer4j.cli.report;
