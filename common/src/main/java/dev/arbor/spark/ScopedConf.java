package dev.arbor.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A runtime SQL setting changed for one action of the driver's thread and then restored: for the
 * few plans that need a setting the rest of the job must not get (Spark reads these settings when
 * it plans and runs the action, so the plans of other actions are unaffected).
 */
public final class ScopedConf {
  /** Spark's limit on the bytecode of one whole-stage generated method. */
  public static final String HUGE_METHOD_LIMIT_KEY = "spark.sql.codegen.hugeMethodLimit";

  /** HotSpot's {@code HugeMethodLimit}: it never compiles a longer method (interprets it). */
  static final String HOTSPOT_HUGE_METHOD_LIMIT = "8000";

  private ScopedConf() {}

  /**
   * Runs {@code action} with whole-stage code generation limited to methods HotSpot compiles,
   * unless the session sets {@value #HUGE_METHOD_LIMIT_KEY} itself.
   *
   * <p>A scan, filter and projection of tens of columns fuse into one generated {@code processNext}
   * of more than 8,000 bytes of bytecode (21,822 for prepare's annotation at 50 columns). Spark's
   * default limit (65,535) keeps it, and the JVM then runs it in its bytecode interpreter: half of
   * a 1M × 50 prepare's CPU samples were there. At 8,000 Spark runs such a stage without the
   * fusion, each operator in code the JIT compiles (Spark's own advice for HotSpot). Not for every
   * plan: an aggregation whose hot code is already split into small methods loses more than it
   * gains ({@code ColumnStats} keeps the default).
   */
  public static <T> T jitSized(SparkSession spark, Supplier<T> action) {
    return spark.conf().get(HUGE_METHOD_LIMIT_KEY, null) != null
        ? action.get()
        : with(spark, HUGE_METHOD_LIMIT_KEY, HOTSPOT_HUGE_METHOD_LIMIT, action);
  }

  /**
   * Runs {@code action} with {@code key} set to {@code value}, then restores {@code key} as it was
   * (unset when it was unset), also when the action throws.
   */
  public static <T> T with(SparkSession spark, String key, String value, Supplier<T> action) {
    String previous = spark.conf().get(key, null);
    spark.conf().set(key, value);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, previous);
      }
    }
  }
}
