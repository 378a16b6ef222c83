/** Self-contained HTML reports with charts rendered by XChart. */
package org.defer4j.cli.report;
