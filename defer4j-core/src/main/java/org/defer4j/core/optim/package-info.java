/**
 * Optimizers over a flat parameter vector: minibatch {@link org.defer4j.core.optim.Adam} and {@link
 * org.defer4j.core.optim.Sgd} (with momentum, optionally Nesterov's) behind the {@link
 * org.defer4j.core.optim.Optimizer} interface, and full-batch {@link org.defer4j.core.optim.Lbfgs}
 * with a strong-Wolfe line search for smooth, typically convex, objectives ({@link
 * org.defer4j.core.optim.DifferentiableFunction}).
 *
 * <p>Options are immutable records validated on construction. A non-finite gradient or objective
 * value is an error ({@link java.lang.ArithmeticException}), never a silent stop.
 */
package org.defer4j.core.optim;
