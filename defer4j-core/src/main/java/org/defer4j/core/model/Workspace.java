package org.defer4j.core.model;

/**
 * The mutable buffers of one thread's forward and backward passes through a {@link Scorer}:
 * pre-activations, activations, back-propagated errors and the rows last read. Obtain one with
 * {@link Scorer#newWorkspace()}; it fits every scorer of the same architecture (for instance a
 * {@link Scorer#copy()}), grows to the largest batch seen, and must not be shared between threads.
 *
 * <p>A workspace remembers two things independently: the row of the last {@link Scorer#forward}
 * (read by {@link Scorer#backward} and {@link Scorer#inputGradient}) and the batch of the last
 * {@link Scorer#forwardBatch} (read by {@link Scorer#backwardBatch} and {@link
 * Scorer#inputGradientBatch}), so single-row and batch calls may interleave.
 */
public interface Workspace {}
