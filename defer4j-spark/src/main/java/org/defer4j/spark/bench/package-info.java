/** The scaling benchmark of docs/benchmarks.md: a seeded synthetic table, single JVM vs Spark. */
package org.defer4j.spark.bench;
