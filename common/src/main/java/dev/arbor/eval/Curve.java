package dev.arbor.eval;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A curve of a binary classifier, as a list of points in {@code seq} order.
 *
 * @param kind which curve
 * @param points the points, in order; at most the configured maximum
 */
public record Curve(Kind kind, List<CurvePoint> points) {
  /** The curve kinds, named as in the {@code curves} table's {@code curve} column. */
  public enum Kind {
    /** Receiver operating characteristic: (false-positive rate, true-positive rate). */
    ROC,
    /** Precision-recall: (recall, precision). */
    PR,
    /** Reliability diagram: (mean predicted probability, observed positive rate) per bin. */
    CALIBRATION;

    /** The name stored in tables: {@code roc}, {@code pr}, {@code calibration}. */
    public String tableName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Curve {
    Objects.requireNonNull(kind, "kind");
    points = List.copyOf(points);
  }
}
