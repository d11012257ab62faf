package dev.arbor.optim.config;

import java.util.Locale;

/** The line searches {@code train.optimizer.line-search} can select. */
public enum LineSearchKind {
  NONE,
  BACKTRACKING,
  STRONG_WOLFE;

  /** The configuration spelling. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
