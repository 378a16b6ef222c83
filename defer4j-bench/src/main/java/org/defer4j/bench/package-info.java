/**
 * Benchmarks of defer4j: end-to-end measurements run by hand (not in CI), whose figures go to
 * {@code docs/benchmarks.md}.
 */
package org.defer4j.bench;
