package dev.arbor.train.sql;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.when;

import dev.arbor.loss.LossFunction;
import dev.arbor.loss.functions.HuberLoss;
import org.apache.spark.sql.Column;

/**
 * One loss of a linear model written as Spark column expressions, for the SQL gradient backend: the
 * per-row loss and its derivatives with respect to the row's margins, as functions of the label
 * column and the margin columns. The formulas are those of the tree backend's losses ({@code
 * dev.arbor.loss.functions}), term for term; only expressions the RAPIDS Accelerator runs on the
 * GPU are used (arithmetic, {@code exp}, {@code log}, {@code log1p}, {@code abs}, {@code greatest},
 * {@code least}, {@code CASE WHEN}, and division only by expressions that are at least 1).
 *
 * <p>Evaluation happens in two projections so that nothing is computed twice per row: {@link
 * #auxiliary} (shared sub-terms, e.g. the log-sum-exp), then {@link #terms}. Immutable.
 */
public abstract class SqlLoss {
  private final String name;
  private final int numOutputs;

  private SqlLoss(String name, int numOutputs) {
    this.name = name;
    this.numOutputs = numOutputs;
  }

  /**
   * Binary logistic loss, labels 0/1: {@code log(1 + e^m) − y·m}, written {@code max(m, 0) +
   * log1p(e) − y·m} with {@code e = exp(−|m|)} so that no {@code exp} overflows; derivative {@code
   * σ(m) − y} with {@code σ(m) = 1/(1 + e)} for {@code m ≥ 0}, else {@code e/(1 + e)} (one {@code
   * exp} per row; the divisor is at least 1, so ANSI mode never sees a division by zero).
   */
  public static SqlLoss logistic() {
    return new Logistic();
  }

  /**
   * Multinomial softmax loss over {@code numClasses} margins, labels {@code 0..K−1}: {@code lse(m)
   * − m_y} with the max-shifted log-sum-exp {@code lse(m) = max(m) + log Σ exp(m_k − max(m))} (no
   * overflow); derivatives {@code exp(m_k − lse) − [y = k]}.
   */
  public static SqlLoss multinomial(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException(
          "Invalid number of classes: " + numClasses + " (expected at least 2)");
    }
    return new Multinomial(numClasses);
  }

  /** Squared loss {@code ½(m − y)²}; derivative {@code m − y}. */
  public static SqlLoss squared() {
    return new Squared();
  }

  /**
   * Hinge loss, labels 0/1 mapped to {@code t = 2y − 1}: {@code max(0, 1 − t·m)}; derivative {@code
   * −t} where {@code 1 − t·m > 0}, else 0.
   */
  public static SqlLoss hinge() {
    return new Hinge();
  }

  /**
   * Huber loss with threshold {@code delta} on the residual {@code r = m − y}: {@code ½r²} where
   * {@code |r| ≤ δ}, else {@code δ(|r| − ½δ)}; derivative {@code r} clipped to {@code [−δ, δ]}.
   */
  public static SqlLoss huber(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException(
          "Invalid Huber delta: " + delta + " (expected a finite number > 0)");
    }
    return new Huber(delta);
  }

  /**
   * The column-expression form of a tree-backend loss ({@code dev.arbor.loss.functions}): same
   * name, number of outputs and parameters.
   *
   * @throws IllegalArgumentException for a loss this backend does not know
   */
  public static SqlLoss of(LossFunction loss) {
    return switch (loss.name()) {
      case "logistic" -> logistic();
      case "multinomial" -> multinomial(loss.numClasses());
      case "squared" -> squared();
      case "hinge" -> hinge();
      case "huber" -> huber(((HuberLoss) loss).delta());
      default ->
          throw new IllegalArgumentException(
              "Cannot evaluate the " + loss.name() + " loss with the sql backend: unknown loss");
    };
  }

  /** The loss's configuration name ({@code logistic}, {@code multinomial}, ...). */
  public final String name() {
    return name;
  }

  /** The number of margins per row: the number of classes for multinomial, else 1. */
  public final int numOutputs() {
    return numOutputs;
  }

  /** Sub-terms shared by the loss and its derivatives, evaluated once per row (may be empty). */
  abstract Column[] auxiliary(Column label, Column[] margins);

  /**
   * The per-row loss and derivatives.
   *
   * @param aux references to the columns {@link #auxiliary} returned, in order
   */
  abstract Terms terms(Column label, Column[] margins, Column[] aux);

  /** The unweighted loss of one row and its derivatives with respect to each margin. */
  record Terms(Column loss, Column[] derivatives) {}

  @Override
  public String toString() {
    return name + (numOutputs > 1 ? "(" + numOutputs + " classes)" : "");
  }

  private static final class Logistic extends SqlLoss {
    Logistic() {
      super("logistic", 1);
    }

    @Override
    Column[] auxiliary(Column label, Column[] m) {
      // e = exp(−|m|) ∈ (0, 1]: the one exp of the row, never overflows
      return new Column[] {exp(abs(m[0]).unary_$minus())};
    }

    @Override
    Terms terms(Column label, Column[] m, Column[] aux) {
      Column e = aux[0];
      // log(1 + e^m) = max(m, 0) + log1p(e); σ(m) = 1/(1 + e) for m ≥ 0, e/(1 + e) otherwise
      Column loss = greatest(m[0], lit(0.0)).plus(log1p(e)).minus(label.multiply(m[0]));
      Column onePlusE = lit(1.0).plus(e);
      Column sigmoid =
          when(m[0].geq(lit(0.0)), lit(1.0).divide(onePlusE)).otherwise(e.divide(onePlusE));
      return new Terms(loss, new Column[] {sigmoid.minus(label)});
    }
  }

  private static final class Multinomial extends SqlLoss {
    Multinomial(int numClasses) {
      super("multinomial", numClasses);
    }

    @Override
    Column[] auxiliary(Column label, Column[] m) {
      Column max = greatest(m);
      Column sum = null;
      for (Column mk : m) {
        Column e = exp(mk.minus(max));
        sum = sum == null ? e : sum.plus(e);
      }
      return new Column[] {max.plus(log(sum))};
    }

    @Override
    Terms terms(Column label, Column[] m, Column[] aux) {
      Column lse = aux[0];
      Column marginOfLabel = when(label.equalTo(lit(0.0)), m[0]);
      for (int k = 1; k < m.length; k++) {
        marginOfLabel = marginOfLabel.when(label.equalTo(lit((double) k)), m[k]);
      }
      Column[] d = new Column[m.length];
      for (int k = 0; k < m.length; k++) {
        Column indicator = when(label.equalTo(lit((double) k)), lit(1.0)).otherwise(lit(0.0));
        d[k] = exp(m[k].minus(lse)).minus(indicator);
      }
      return new Terms(lse.minus(marginOfLabel), d);
    }
  }

  private static final class Squared extends SqlLoss {
    Squared() {
      super("squared", 1);
    }

    @Override
    Column[] auxiliary(Column label, Column[] m) {
      return new Column[] {m[0].minus(label)};
    }

    @Override
    Terms terms(Column label, Column[] m, Column[] aux) {
      Column r = aux[0];
      return new Terms(lit(0.5).multiply(r).multiply(r), new Column[] {r});
    }
  }

  private static final class Hinge extends SqlLoss {
    Hinge() {
      super("hinge", 1);
    }

    @Override
    Column[] auxiliary(Column label, Column[] m) {
      Column t = label.multiply(lit(2.0)).minus(lit(1.0));
      return new Column[] {t, lit(1.0).minus(t.multiply(m[0]))};
    }

    @Override
    Terms terms(Column label, Column[] m, Column[] aux) {
      Column t = aux[0];
      Column slack = aux[1];
      Column active = slack.gt(lit(0.0));
      return new Terms(
          when(active, slack).otherwise(lit(0.0)),
          new Column[] {when(active, t.unary_$minus()).otherwise(lit(0.0))});
    }
  }

  private static final class Huber extends SqlLoss {
    private final double delta;

    Huber(double delta) {
      super("huber", 1);
      this.delta = delta;
    }

    @Override
    Column[] auxiliary(Column label, Column[] m) {
      return new Column[] {m[0].minus(label)};
    }

    @Override
    Terms terms(Column label, Column[] m, Column[] aux) {
      Column r = aux[0];
      Column a = abs(r);
      Column loss =
          when(a.leq(lit(delta)), lit(0.5).multiply(r).multiply(r))
              .otherwise(lit(delta).multiply(a.minus(lit(0.5 * delta))));
      Column d = least(greatest(r, lit(-delta)), lit(delta));
      return new Terms(loss, new Column[] {d});
    }

    @Override
    public String toString() {
      return "huber(delta=" + delta + ")";
    }
  }
}
