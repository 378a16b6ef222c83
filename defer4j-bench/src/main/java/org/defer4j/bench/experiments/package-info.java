/**
 * Experiment runners that produce the tables of docs/results.md (long runs that do not belong in
 * unit tests).
 */
package org.defer4j.bench.experiments;
