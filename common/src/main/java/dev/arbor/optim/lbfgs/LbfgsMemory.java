package dev.arbor.optim.lbfgs;

import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.run.Objective;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The last {@code m} curvature pairs {@code s = w[k+1] − w[k]}, {@code y = ∇g(w[k+1]) − ∇g(w[k])}
 * and the two-loop recursion that multiplies a vector by the implied inverse-Hessian approximation
 * (Nocedal 1980, "Updating quasi-Newton matrices with limited storage", Math. Comp. 35(151);
 * Nocedal &amp; Wright, Numerical Optimization, 2nd ed., Algorithm 7.4), with the initial scaling
 * {@code γ = s·y / y·y} of the newest pair. Not thread-safe.
 */
final class LbfgsMemory {
  private final int capacity;
  private final ArrayDeque<double[][]> pairs = new ArrayDeque<>();

  LbfgsMemory(int capacity) {
    this.capacity = capacity;
  }

  boolean isEmpty() {
    return pairs.isEmpty();
  }

  void clear() {
    pairs.clear();
  }

  /**
   * Adds a pair when its curvature {@code s·y} is positive (otherwise the approximation would stop
   * being positive definite), dropping the oldest beyond capacity.
   *
   * @return whether the pair was kept
   */
  boolean add(double[] s, double[] y) {
    if (!(Objective.dot(s, y) > 0)) {
      return false;
    }
    if (pairs.size() == capacity) {
      pairs.removeFirst();
    }
    pairs.addLast(new double[][] {s.clone(), y.clone()});
    return true;
  }

  /** {@code −H·v}: the quasi-Newton direction for the gradient {@code v}. */
  double[] direction(double[] v) {
    int k = pairs.size();
    double[] q = v.clone();
    double[] alpha = new double[k];
    double[] rho = new double[k];
    double[][][] list = pairs.toArray(new double[0][][]);
    for (int i = k - 1; i >= 0; i--) {
      rho[i] = 1 / Objective.dot(list[i][0], list[i][1]);
      alpha[i] = rho[i] * Objective.dot(list[i][0], q);
      axpy(-alpha[i], list[i][1], q);
    }
    if (k > 0) {
      double[] s = list[k - 1][0];
      double[] y = list[k - 1][1];
      double gamma = Objective.dot(s, y) / Objective.dot(y, y);
      for (int j = 0; j < q.length; j++) {
        q[j] *= gamma;
      }
    }
    for (int i = 0; i < k; i++) {
      double beta = rho[i] * Objective.dot(list[i][1], q);
      axpy(alpha[i] - beta, list[i][0], q);
    }
    for (int j = 0; j < q.length; j++) {
      q[j] = -q[j];
    }
    return q;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int j = 0; j < y.length; j++) {
      y[j] += a * x[j];
    }
  }

  /** Writes the pairs, oldest first, as vectors {@code lbfgs.s.NNN} / {@code lbfgs.y.NNN}. */
  void save(OptimizerState.Builder b) {
    b.scalar("lbfgs.pairs", pairs.size());
    int i = 0;
    for (Iterator<double[][]> it = pairs.iterator(); it.hasNext(); i++) {
      double[][] p = it.next();
      b.vector(name("s", i), p[0]).vector(name("y", i), p[1]);
    }
  }

  void restore(OptimizerState state) {
    clear();
    int k = (int) state.scalar("lbfgs.pairs");
    for (int i = 0; i < k; i++) {
      pairs.addLast(new double[][] {state.vector(name("s", i)), state.vector(name("y", i))});
    }
  }

  private static String name(String kind, int i) {
    return String.format("lbfgs.%s.%03d", kind, i);
  }
}
