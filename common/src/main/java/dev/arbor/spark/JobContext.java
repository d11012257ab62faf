package dev.arbor.spark;

import dev.arbor.config.ArborConfig;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * What a stage needs to run: the SparkSession, the resolved configuration and the logical date of
 * the run (never derived from the clock). Immutable; the session itself is shared and thread-safe.
 *
 * @param spark the job's session; a stage must not stop it
 * @param config the resolved, validated configuration
 * @param runDate the logical date of the run: selects the input partition when the input is
 *     date-partitioned and names the output partition
 * @param resume whether the request asks the train stage to continue from its checkpoint ({@code
 *     --resume}, or a retry of a failed attempt): a request, not a setting, so it is not in {@code
 *     config}
 */
public record JobContext(
    SparkSession spark, ArborConfig config, LocalDate runDate, boolean resume) {
  public JobContext {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(runDate, "runDate");
  }

  /** A context whose request does not resume. */
  public JobContext(SparkSession spark, ArborConfig config, LocalDate runDate) {
    this(spark, config, runDate, false);
  }

  /** This context with the resume request on. */
  public JobContext withResume() {
    return new JobContext(spark, config, runDate, true);
  }
}
