package org.defer4j.core.train;

/** A fit produced a NaN or infinite loss or gradient; the message says where. */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming epoch, batch, row and scores. */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
