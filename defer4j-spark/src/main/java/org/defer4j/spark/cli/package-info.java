/**
 * The {@code defer4j spark train | route | evaluate} commands: the single-JVM commands' options,
 * run as Spark jobs (local mode by default, or whatever master {@code spark-submit} gives).
 */
package org.defer4j.spark.cli;
