package dev.arbor;

/**
 * Process exit codes of every Arbor job, as documented in the README. Schedulers (Airflow, cron)
 * retry {@link #FAILURE}, {@link #BUSY} and {@link #OUT_OF_MEMORY} (with more memory) but not the
 * others: re-running cannot fix a bad config, bad data or a worse model.
 */
public enum ExitCode {
  /** All outputs are committed. */
  OK(0),
  /** Anything else: Spark failures, I/O errors, bugs. Possibly transient. */
  FAILURE(1),
  /** The command line is wrong (unknown option, missing argument, bad run date). */
  USAGE(2),
  /** The configuration is wrong (unknown key, wrong type, value out of range). */
  CONFIG(3),
  /** The input data violates the declared schema or the data-quality limits. */
  DATA_VALIDATION(4),
  /**
   * The promotion gate rejected the new model: it scored worse than the promoted model beyond the
   * tolerance, or its run failed the data checks ({@code promote.on-reject = fail}).
   */
  MODEL_REJECTED(5),
  /**
   * Another writer holds the lock of the same (model, run date) ({@link dev.arbor.runs.RunLock}).
   * Transient: retry when it has finished.
   */
  BUSY(6),
  /**
   * The JVM ran out of memory. The same code Spark's uncaught-exception handler exits with when a
   * task thread runs out of memory ({@code SparkExitCode.OOM}); retry with more memory ({@code
   * spark.driver.memory}, {@code spark.executor.memory}) or less data per task.
   */
  OUT_OF_MEMORY(52);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit status. */
  public int code() {
    return code;
  }
}
