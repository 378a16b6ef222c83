/**
 * Training: the scorer fitter (minibatch Adam/SGD with early stopping, full-batch L-BFGS), the
 * deferral trainer that binds a surrogate to a task's costs (one-stage and two-stage), and the
 * fitted {@link org.defer4j.core.train.DeferralModel}.
 */
package org.defer4j.core.train;
