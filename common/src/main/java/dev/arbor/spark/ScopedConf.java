package dev.arbor.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A runtime SQL setting changed for one action of the driver's thread and then restored: for the
 * few plans that need a setting the rest of the job must not get (Spark reads these settings when
 * it plans and runs the action, so the plans of other actions are unaffected).
 */
public final class ScopedConf {
  private ScopedConf() {}

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
