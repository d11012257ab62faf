package dev.arbor.eval;

/** Column names of the Predictions contract (see the project brief, "Predictions"). */
public final class PredictionColumns {
  /** Row identifier, STRING. */
  public static final String ROW_ID = "row_id";

  /** True label, DOUBLE: the value (regression) or the class index (classification). */
  public static final String LABEL = "label";

  /** Row weight, DOUBLE, finite and {@code >= 0}. */
  public static final String WEIGHT = "weight";

  /** Predicted value (regression) or predicted class index (classification), DOUBLE. */
  public static final String PREDICTION = "prediction";

  /** Binary only: P(label = 1), DOUBLE in [0, 1]. */
  public static final String SCORE = "score";

  private PredictionColumns() {}

  /** Multiclass only: the name of the column holding P(label = {@code k}). */
  public static String prob(int k) {
    return "prob_" + k;
  }
}
