/**
 * Experiment runners whose tables go to {@code docs/results.md}: each is a {@code main} that takes
 * the data folder as an argument, prints Markdown tables, and is run by hand (not in CI).
 */
package org.defer4j.bench.experiments;
