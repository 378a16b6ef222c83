/**
 * JMH micro-benchmarks of the hot paths: one surrogate evaluation, one scorer minibatch forward /
 * backward pass, and decisions through the public API (one case by name, a batch table). Built into
 * {@code defer4j-bench.jar} by the {@code bench-load} profile and run with {@code java -cp
 * defer4j-bench.jar org.openjdk.jmh.Main}; figures in {@code docs/benchmarks.md}.
 */
package org.defer4j.bench.jmh;
