/**
 * Experiment runners (mains) whose printed tables go to {@code docs/results.md}: long runs that
 * belong outside the unit tests. Each takes the data folder as an argument and states its seeds.
 */
package org.defer4j.bench.experiments;
