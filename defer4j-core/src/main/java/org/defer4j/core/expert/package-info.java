/**
 * Expert models learned alongside the deferral: the probabilistic L2D of Nguyen, Do and Carneiro
 * (ICLR 2025), an EM over a gate with per-agent workload bounds that also infers the annotations an
 * expert did not give ({@link org.defer4j.core.expert.WorkloadEmTrainer}, {@link
 * org.defer4j.core.expert.WorkloadProjection}).
 */
package org.defer4j.core.expert;
