package dev.arbor.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fast test tier ({@code scripts/test --fast}): the unit tests without Spark, selected by
 * excluding the JUnit tag {@value #SPARK_TAG}. Under the system property {@value #PROPERTY} a Spark
 * test that lacks the tag cannot slip in unnoticed: {@link SparkTestSession#get()} refuses to start
 * a session, and this extension (registered through {@code META-INF/services}, active with JUnit's
 * extension auto-detection, which {@code scripts/test --fast} turns on) fails a test class that
 * started a SparkSession any other way, e.g. through a job's own {@code Sessions}. Outside the fast
 * tier it does nothing.
 */
public final class FastTier implements BeforeAllCallback, AfterAllCallback {
  /** The tag of every test class that starts Spark. */
  public static final String SPARK_TAG = "spark";

  /** The system property that marks a fast-tier run ({@code true}). */
  public static final String PROPERTY = "arbor.test.fast";

  private static final String STARTED = "sessionBefore";

  /** Whether this JVM runs the fast tier. */
  public static boolean active() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** The error a Spark test gets in the fast tier. */
  static IllegalStateException sparkNotAllowed(String what) {
    return new IllegalStateException(
        "Cannot start Spark in the fast test tier (scripts/test --fast): "
            + what
            + " needs a SparkSession; tag its class @Tag(\""
            + SPARK_TAG
            + "\")");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (active()) {
      context.getStore(ExtensionContext.Namespace.GLOBAL).put(STARTED, sessionExists());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (active()
        && !context.getStore(ExtensionContext.Namespace.GLOBAL).get(STARTED, Boolean.class)
        && sessionExists()) {
      throw sparkNotAllowed(context.getRequiredTestClass().getName());
    }
  }

  private static boolean sessionExists() {
    return SparkSession.getDefaultSession().isDefined()
        || SparkSession.getActiveSession().isDefined();
  }
}
