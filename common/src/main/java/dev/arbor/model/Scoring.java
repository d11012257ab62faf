package dev.arbor.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.arbor.DataValidationException;
import dev.arbor.prep.PrepModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Predictions contract's helpers for every {@link Model} ({@link #scoreRaw}, {@link
 * #requireFeatures}) and the linear family's scorer: applies a {@link LinearModel} to prepared rows
 * with plain Column expressions (no UDF, no vector column: RAPIDS can run the whole plan),
 * producing the Predictions contract: {@code row_id}, {@code label}, {@code weight} (those present
 * in the input), {@code prediction}, and {@code score} = P(label = 1) for binary or {@code prob_0 …
 * prob_{K−1}} for multiclass.
 *
 * <ul>
 *   <li>Margins are sums of products, added as a balanced tree (shallow expressions for wide
 *       models); coefficients that are exactly 0 are skipped.
 *   <li>Binary: {@code score = 1/(1+e^−m)} for {@code m ≥ 0}, {@code e^m/(1+e^m)} otherwise (no
 *       overflow for large |m|); {@code prediction = score ≥ threshold}.
 *   <li>Multiclass: max-shifted softmax ({@code e^(m_k − max m)}, so no exponential overflows and
 *       the denominator is ≥ 1); {@code prediction} = the first index of the largest margin.
 *   <li>Regression: {@code prediction} = the margin.
 * </ul>
 */
public final class Scoring {
  /** Pass-through columns of the Predictions contract, when present in the input. */
  public static final List<String> PASS_THROUGH = List.of("row_id", "label", "weight");

  private Scoring() {}

  /**
   * Scores raw input rows: the prep model's {@code transform} (plain Column expressions), then the
   * model, with the model's threshold.
   *
   * @throws DataValidationException when the prep model's features are not the model's
   */
  public static Dataset<Row> scoreRaw(Dataset<Row> raw, Model model, PrepModel prep) {
    DataValidationException.check(
        prep.featureNames().equals(model.features()),
        "Cannot score with model %s: its %d features differ from the prep model's %d features",
        model.name(),
        model.features().size(),
        prep.featureNames().size());
    return model.score(prep.transform(raw));
  }

  /**
   * Checks that {@code prepared} has every feature column of {@code model} (what each family's
   * {@link Model#score} does first).
   *
   * @throws DataValidationException naming the first missing column
   */
  public static void requireFeatures(Dataset<Row> prepared, Model model) {
    List<String> columns = Arrays.asList(prepared.columns());
    for (String f : model.features()) {
      DataValidationException.check(
          columns.contains(f),
          "Cannot score with model %s: missing feature column '%s' (expected the %d prepared"
              + " features of the model)",
          model.name(),
          f,
          model.features().size());
    }
  }

  /** Scores prepared rows with the model's own threshold. */
  public static Dataset<Row> score(Dataset<Row> prepared, LinearModel model) {
    return score(prepared, model, model.threshold());
  }

  /**
   * Scores prepared rows.
   *
   * @param prepared rows with the model's feature columns (DOUBLE), as written by {@code prepare}
   *     or produced by the prep model's {@code transform}
   * @param threshold the binary decision threshold (ignored for other tasks)
   * @throws DataValidationException when a feature column is missing
   */
  public static Dataset<Row> score(Dataset<Row> prepared, LinearModel model, double threshold) {
    requireFeatures(prepared, model);
    List<String> columns = Arrays.asList(prepared.columns());
    List<Column> out = new ArrayList<>();
    for (String c : PASS_THROUGH) {
      if (columns.contains(c)) {
        out.add(col(c));
      }
    }
    switch (model.task()) {
      case REGRESSION -> out.add(margin(model, 0).as("prediction"));
      case BINARY -> {
        Column m = margin(model, 0);
        Column score = sigmoid(m);
        out.add(when(score.geq(lit(threshold)), lit(1.0)).otherwise(lit(0.0)).as("prediction"));
        out.add(score.as("score"));
      }
      case MULTICLASS -> out.addAll(multiclass(model));
    }
    return prepared.select(out.toArray(new Column[0]));
  }

  /** The margin of output {@code k}: {@code b_k + Σ_j w_kj·x_j} on the prepared features. */
  public static Column margin(LinearModel model, int k) {
    List<Column> terms = new ArrayList<>();
    double[] w = model.coefficients()[k];
    for (int j = 0; j < w.length; j++) {
      if (w[j] != 0) {
        terms.add(col(model.features().get(j)).multiply(lit(w[j])));
      }
    }
    terms.add(lit(model.intercepts()[k]));
    return balancedSum(terms, 0, terms.size());
  }

  private static Column balancedSum(List<Column> terms, int from, int to) {
    if (to - from == 1) {
      return terms.get(from);
    }
    int mid = (from + to) >>> 1;
    return balancedSum(terms, from, mid).plus(balancedSum(terms, mid, to));
  }

  /** The logistic function, in the branch that cannot overflow. */
  static Column sigmoid(Column m) {
    return when(m.geq(lit(0.0)), lit(1.0).divide(lit(1.0).plus(exp(m.unary_$minus()))))
        .otherwise(exp(m).divide(lit(1.0).plus(exp(m))));
  }

  private static List<Column> multiclass(LinearModel model) {
    int k = model.numOutputs();
    Column[] margins = new Column[k];
    for (int c = 0; c < k; c++) {
      margins[c] = margin(model, c);
    }
    Column max = greatest(margins);
    Column[] shifted = new Column[k];
    Column denominator = null;
    for (int c = 0; c < k; c++) {
      shifted[c] = exp(margins[c].minus(max));
      denominator = denominator == null ? shifted[c] : denominator.plus(shifted[c]);
    }
    Column argmax = lit((double) (k - 1));
    for (int c = k - 2; c >= 0; c--) {
      argmax = when(margins[c].equalTo(max), lit((double) c)).otherwise(argmax);
    }
    List<Column> out = new ArrayList<>();
    out.add(argmax.as("prediction"));
    for (int c = 0; c < k; c++) {
      out.add(shifted[c].divide(denominator).as("prob_" + c));
    }
    return out;
  }
}
