/**
 * The core of defer4j: the mathematics and the domain of learning to defer.
 *
 * <p>Every task is reduced to a per-case cost over agents ({@link
 * org.defer4j.core.cost.CostMatrix}); learning code sees costs and scores, never the task that
 * produced them.
 */
package org.defer4j.core;
