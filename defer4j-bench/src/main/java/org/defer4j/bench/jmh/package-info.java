/**
 * JMH micro-benchmarks of the hot paths: one surrogate evaluation and one scorer minibatch forward
 * / backward pass. Built into {@code defer4j-bench.jar} by the {@code bench-load} profile and run
 * with {@code java -cp defer4j-bench.jar org.openjdk.jmh.Main}; figures in {@code
 * docs/benchmarks.md}.
 */
package org.defer4j.bench.jmh;
