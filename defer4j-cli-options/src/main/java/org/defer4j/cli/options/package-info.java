/**
 * Picocli option mixins that the single-JVM command line ({@code defer4j-cli}) and the Spark one
 * ({@code defer4j-spark}) both declare, so that an option the two share is spelled, defaulted and
 * described in one place. Each mixin keeps the field names its commands had, so the parameter
 * labels of the usage help ({@code <task>}, {@code <seed>}, ...) are the same; required options sit
 * in mixins of their own, placed in the commands where the options were, so that picocli names
 * missing options in the same order.
 */
package org.defer4j.cli.options;
