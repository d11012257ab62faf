package dev.arbor.promote;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;

/**
 * The promotion gate rejected the challenger and {@code promote.on-reject = fail}: exit code 5. It
 * is thrown after the decision is recorded; the promoted-model pointer is unchanged.
 */
public class ModelRejectedException extends ArborException {
  private static final long serialVersionUID = 1L;

  public ModelRejectedException(String message) {
    super(ExitCode.MODEL_REJECTED, message);
  }
}
