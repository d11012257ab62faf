package dev.arbor.spark;

import java.util.List;
import java.util.function.BinaryOperator;
import org.apache.spark.sql.Column;

/**
 * Combines many column expressions with one binary operator as a balanced tree (depth ⌈log₂ n⌉),
 * never as a left-deep chain: a chain of thousands of {@code OR}s or {@code +}s makes Spark's
 * analyzer, optimizer and code generator recurse thousands of frames deep (a {@code
 * StackOverflowError} at a few hundred columns), a balanced tree of 10,000 terms is 14 deep. Plain
 * Catalyst expressions, so RAPIDS runs them as it runs the chain.
 */
public final class ColumnTrees {
  private ColumnTrees() {}

  /** {@code c₀ OR c₁ OR …} as a balanced tree. */
  public static Column or(List<Column> conditions) {
    return reduce(conditions, Column::or);
  }

  /** {@code c₀ + c₁ + …} as a balanced tree. */
  public static Column sum(List<Column> terms) {
    return reduce(terms, Column::plus);
  }

  /**
   * {@code terms} combined with {@code op} as a balanced tree.
   *
   * @throws IllegalArgumentException when {@code terms} is empty
   */
  public static Column reduce(List<Column> terms, BinaryOperator<Column> op) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("Cannot combine columns: no terms");
    }
    return reduce(terms, 0, terms.size(), op);
  }

  private static Column reduce(List<Column> terms, int from, int to, BinaryOperator<Column> op) {
    if (to - from == 1) {
      return terms.get(from);
    }
    int mid = (from + to) >>> 1;
    return op.apply(reduce(terms, from, mid, op), reduce(terms, mid, to, op));
  }
}
