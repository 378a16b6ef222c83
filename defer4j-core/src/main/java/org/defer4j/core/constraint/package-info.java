/**
 * Workload, capacity, budget and fairness constraints on deferral (survey §2.1, §7.3, §7.5;
 * METHODS-2 §D): the problems are defined here; solvers with native code live in their own module.
 */
package org.defer4j.core.constraint;
