/**
 * Safety of the allocation under attack (survey §7.4, eq. 20; Montreuil et al., ICML 2025): PGD
 * attacks on a learned policy's routing ({@link org.defer4j.core.robust.AllocationAttack}) and the
 * adversarial training that defends against them ({@link org.defer4j.core.robust.SardLoss}, a
 * reconstruction of SARD, METHODS-2 R-B3).
 */
package org.defer4j.core.robust;
