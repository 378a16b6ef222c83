/**
 * Hyperparameter search for deferral training: a seeded random search over the learning rate, the
 * L2 penalty, the epoch budget and patience, the hidden width of an MLP and the method's own
 * parameter (α, ν, q, λ), each trial scored on the validation system cost, the trials run in
 * parallel with results that do not depend on the number of threads.
 */
package org.defer4j.core.train.tune;
