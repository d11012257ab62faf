package dev.arbor.optim;

import java.io.Serializable;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state of a {@link StepRule} (its named vectors and scalars, as {@link StepRule#save} writes
 * them) in a compact serializable form, to ship to and from the shards of a {@link
 * LocalStepFunction}, and to average there: vectors (moments, velocities) are averaged, scalars
 * (step counters) take the largest value.
 */
public final class RuleState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, double[]> vectors;
  private final TreeMap<String, Double> scalars;

  private RuleState(TreeMap<String, double[]> vectors, TreeMap<String, Double> scalars) {
    this.vectors = vectors;
    this.scalars = scalars;
  }

  /** What {@code rule} holds now (copied). */
  public static RuleState of(StepRule rule) {
    OptimizerState.Builder b = OptimizerState.builder(rule.name(), 0, new double[0]);
    rule.save(b);
    OptimizerState s = b.build();
    TreeMap<String, double[]> v = new TreeMap<>();
    for (String name : s.vectorNames()) {
      v.put(name, s.vector(name));
    }
    TreeMap<String, Double> c = new TreeMap<>();
    for (String name : s.scalarNames()) {
      c.put(name, s.scalar(name));
    }
    return new RuleState(v, c);
  }

  /** Makes {@code rule} (initialised) hold this state. */
  public void restoreInto(StepRule rule) {
    OptimizerState.Builder b = OptimizerState.builder(rule.name(), 0, new double[0]);
    vectors.forEach(b::vector);
    scalars.forEach(b::scalar);
    rule.restore(b.build());
  }

  /** A zero state of the same shape, to {@link #accumulate} into. */
  public RuleState zeros() {
    TreeMap<String, double[]> v = new TreeMap<>();
    vectors.forEach((k, a) -> v.put(k, new double[a.length]));
    TreeMap<String, Double> c = new TreeMap<>();
    scalars.forEach((k, a) -> c.put(k, 0.0));
    return new RuleState(v, c);
  }

  /**
   * Vectors {@code += factor · other}'s; scalars become the larger of the two. Returns {@code
   * this}.
   */
  public RuleState accumulate(double factor, RuleState other) {
    for (Map.Entry<String, double[]> e : vectors.entrySet()) {
      double[] a = e.getValue();
      double[] b = other.vectors.get(e.getKey());
      for (int i = 0; i < a.length; i++) {
        a[i] += factor * b[i];
      }
    }
    for (Map.Entry<String, Double> e : scalars.entrySet()) {
      e.setValue(Math.max(e.getValue(), other.scalars.get(e.getKey())));
    }
    return this;
  }

  /** Vectors {@code *= factor}; scalars unchanged. Returns {@code this}. */
  public RuleState scaleVectors(double factor) {
    for (double[] a : vectors.values()) {
      for (int i = 0; i < a.length; i++) {
        a[i] *= factor;
      }
    }
    return this;
  }

  /** The named vectors (read only by convention). */
  public SortedMap<String, double[]> vectors() {
    return vectors;
  }

  /** The named scalars. */
  public SortedMap<String, Double> scalars() {
    return scalars;
  }
}
