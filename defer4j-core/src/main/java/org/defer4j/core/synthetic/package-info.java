/**
 * Synthetic deferral problems with known conditional laws, for consistency tests and benchmarks.
 */
package org.defer4j.core.synthetic;
