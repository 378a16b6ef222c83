/**
 * defer4j on Apache Spark: a Spark ML {@link org.defer4j.spark.DeferralEstimator} whose fit returns
 * a {@link org.defer4j.spark.DeferralPolicyModel} (a transformer that adds decision columns),
 * distributed training of core's surrogates and scorers (full-batch L-BFGS over {@code
 * treeAggregate}d losses and gradients, data-parallel Adam), and batch routing and evaluation as
 * Spark jobs. The policy is always a normal defer4j policy artifact.
 */
package org.defer4j.spark;
