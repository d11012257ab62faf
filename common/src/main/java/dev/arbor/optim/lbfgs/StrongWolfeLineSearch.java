package dev.arbor.optim.lbfgs;

import dev.arbor.optim.run.Objective;

/**
 * A line search along a descent direction {@code d} that returns a step satisfying the strong Wolfe
 * conditions {@code φ(α) ≤ φ(0) + c1·α·φ'(0)} and {@code |φ'(α)| ≤ c2·|φ'(0)|} for {@code φ(α) =
 * g(w + α·d)}, {@code c1 = 1e-4}, {@code c2 = 0.9}: bracketing then zoom with safeguarded cubic
 * interpolation (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., Algorithms 3.5 and 3.6).
 * Stateless.
 */
final class StrongWolfeLineSearch {
  static final double C1 = 1e-4;
  static final double C2 = 0.9;
  static final int MAX_EVALUATIONS = 30;

  /** An evaluated point on the line. */
  record Point(double alpha, double value, double slope, double[] weights, double[] gradient) {}

  private final Objective objective;
  private final double[] origin;
  private final double[] direction;
  private final double value0;
  private final double slope0;
  private int evaluations;

  private StrongWolfeLineSearch(
      Objective objective, double[] origin, double value0, double slope0, double[] direction) {
    this.objective = objective;
    this.origin = origin;
    this.direction = direction;
    this.value0 = value0;
    this.slope0 = slope0;
  }

  /**
   * Searches from {@code w} along {@code d}.
   *
   * @param value0 the smooth objective at {@code w}
   * @param slope0 {@code ∇g(w)·d}, < 0
   * @param alpha0 the first step tried
   * @return the accepted point, or {@code null} when none was found within {@value
   *     #MAX_EVALUATIONS} evaluations
   */
  static Point search(
      Objective objective, double[] w, double value0, double slope0, double[] d, double alpha0) {
    return new StrongWolfeLineSearch(objective, w, value0, slope0, d).run(alpha0);
  }

  private Point run(double alpha0) {
    Point previous = new Point(0, value0, slope0, null, null);
    double alpha = alpha0;
    for (int i = 1; evaluations < MAX_EVALUATIONS; i++) {
      Point current = evaluate(alpha);
      if (!sufficientDecrease(current) || (i > 1 && current.value() >= previous.value())) {
        return zoom(previous, current);
      }
      if (Math.abs(current.slope()) <= -C2 * slope0) {
        return current;
      }
      if (current.slope() >= 0) {
        return zoom(current, previous);
      }
      previous = current;
      alpha *= 2;
    }
    return previous.alpha() > 0 ? previous : null;
  }

  /**
   * Nocedal &amp; Wright Algorithm 3.6: {@code lo} satisfies sufficient decrease, has lower value.
   */
  private Point zoom(Point lo, Point hi) {
    while (evaluations < MAX_EVALUATIONS) {
      double alpha = interpolate(lo, hi);
      if (alpha == lo.alpha() || alpha == hi.alpha()) {
        break;
      }
      Point current = evaluate(alpha);
      if (!sufficientDecrease(current) || current.value() >= lo.value()) {
        hi = current;
      } else {
        if (Math.abs(current.slope()) <= -C2 * slope0) {
          return current;
        }
        if (current.slope() * (hi.alpha() - lo.alpha()) >= 0) {
          hi = lo;
        }
        lo = current;
      }
    }
    // No curvature-satisfying step: a point with sufficient decrease still makes progress.
    return lo.alpha() > 0 ? lo : null;
  }

  private boolean sufficientDecrease(Point p) {
    return p.value() <= value0 + C1 * p.alpha() * slope0;
  }

  /** The minimizer of the cubic through both points, kept inside the middle 80% of the bracket. */
  private static double interpolate(Point a, Point b) {
    double lo = Math.min(a.alpha(), b.alpha());
    double hi = Math.max(a.alpha(), b.alpha());
    double mid = 0.5 * (lo + hi);
    if (!Double.isFinite(a.value()) || !Double.isFinite(b.value())) {
      return mid;
    }
    double d1 = a.slope() + b.slope() - 3 * (a.value() - b.value()) / (a.alpha() - b.alpha());
    double disc = d1 * d1 - a.slope() * b.slope();
    if (!(disc >= 0)) {
      return mid;
    }
    double d2 = Math.signum(b.alpha() - a.alpha()) * Math.sqrt(disc);
    double alpha =
        b.alpha()
            - (b.alpha() - a.alpha()) * (b.slope() + d2 - d1) / (b.slope() - a.slope() + 2 * d2);
    double margin = 0.1 * (hi - lo);
    return Double.isFinite(alpha) && alpha >= lo + margin && alpha <= hi - margin ? alpha : mid;
  }

  private Point evaluate(double alpha) {
    evaluations++;
    int n = origin.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = origin[i] + alpha * direction[i];
    }
    double[] g = new double[n];
    double v = objective.smooth(x, g);
    return new Point(alpha, v, Objective.dot(g, direction), x, g);
  }
}
