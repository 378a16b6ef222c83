/**
 * Training: the scorer fitter (minibatch Adam/SGD with early stopping, full-batch L-BFGS), the
 * deferral trainer that binds a surrogate to a task's costs (one-stage and two-stage), post-hoc
 * triage and stage one, behind one {@link org.defer4j.core.train.Trainer} interface; deferral
 * trainers fit a {@link org.defer4j.core.policy.LearnedPolicy}.
 */
package org.defer4j.core.train;
