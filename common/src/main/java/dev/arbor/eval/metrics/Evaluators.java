package dev.arbor.eval.metrics;

import dev.arbor.eval.EvalSettings;
import dev.arbor.eval.Evaluator;
import dev.arbor.ingest.Task;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Creates the evaluator of a task. The optional plan observer sees every DataFrame an evaluator is
 * about to collect, before it runs (tests use it to check that RAPIDS can run each plan).
 */
public final class Evaluators {
  private static final Consumer<Dataset<Row>> NONE = plan -> {};

  private Evaluators() {}

  /** The binary evaluator (also chooses the F1-optimal threshold). */
  public static BinaryEvaluator binary(EvalSettings settings) {
    return new BinaryEvaluator(settings, NONE);
  }

  /** The binary evaluator, reporting each plan to {@code observer} before it runs. */
  public static BinaryEvaluator binary(EvalSettings settings, Consumer<Dataset<Row>> observer) {
    return new BinaryEvaluator(settings, observer);
  }

  /** The multiclass evaluator (K from the {@code prob_k} columns). */
  public static MulticlassEvaluator multiclass(EvalSettings settings) {
    return new MulticlassEvaluator(settings, NONE);
  }

  /** The multiclass evaluator, reporting each plan to {@code observer} before it runs. */
  public static MulticlassEvaluator multiclass(
      EvalSettings settings, Consumer<Dataset<Row>> observer) {
    return new MulticlassEvaluator(settings, observer);
  }

  /** The regression evaluator. */
  public static RegressionEvaluator regression() {
    return new RegressionEvaluator(NONE);
  }

  /** The regression evaluator, reporting each plan to {@code observer} before it runs. */
  public static RegressionEvaluator regression(Consumer<Dataset<Row>> observer) {
    return new RegressionEvaluator(observer);
  }

  /** The evaluator of {@code task}. */
  public static Evaluator forTask(Task task, EvalSettings settings) {
    return switch (task) {
      case BINARY -> binary(settings);
      case MULTICLASS -> multiclass(settings);
      case REGRESSION -> regression();
    };
  }
}
