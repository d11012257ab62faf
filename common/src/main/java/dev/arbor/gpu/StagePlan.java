package dev.arbor.gpu;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One DataFrame plan of a stage, to be explained as RAPIDS would run it (never executed).
 *
 * @param stage the stage ({@code prepare}, {@code train}, {@code score}, {@code evaluate})
 * @param description what the plan computes, e.g. {@code gradient pass, loss logistic}
 * @param weight whether the plan does the stage's heavy work (a fallback then fails {@code
 *     gpu-explain})
 * @param plan the DataFrame whose plan is explained
 */
public record StagePlan(String stage, String description, Weight weight, Dataset<Row> plan) {
  /** How much of a stage's work a plan does. */
  public enum Weight {
    /** Scans or aggregates the data: must run on the GPU. */
    HEAVY,
    /** Small (metadata, a handful of rows): a CPU fallback is tolerated. */
    LIGHT
  }

  public StagePlan {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(plan, "plan");
  }
}
