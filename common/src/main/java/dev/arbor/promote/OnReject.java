package dev.arbor.promote;

/** What a rejected challenger does to the job ({@code promote.on-reject}). */
public enum OnReject {
  /** The job fails with exit code 5 ({@link dev.arbor.ExitCode#MODEL_REJECTED}). */
  FAIL,
  /** The job logs and prints a warning and ends with exit code 0. */
  WARN
}
