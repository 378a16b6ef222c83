/**
 * Experiment runners whose printed tables go to {@code docs/}: real-data evidence for the quality
 * bars of DESIGN.md §7 and end-to-end speed comparisons. Run by hand, never by the build.
 */
package org.defer4j.bench.experiments;
