package dev.arbor.train.nn;

import dev.arbor.nn.Architecture;
import dev.arbor.nn.Dropout;
import dev.arbor.nn.NetworkPass;
import dev.arbor.optim.LocalStepFunction.RoundRequest;
import dev.arbor.optim.RuleState;
import dev.arbor.optim.StepRule;
import dev.arbor.train.pass.PartitionFold;
import dev.arbor.train.pass.RowPermutation;
import java.io.Serializable;

/**
 * What one shard does in a round of local steps, in plain Java: copy the step rule, take {@code
 * steps} mini-batch steps over its own rows (step {@code s} of an epoch uses the rows at positions
 * {@code [⌊s·n/S⌋, ⌊(s+1)·n/S⌋)} of the shard's permutation for (seed, epoch, shard), as the linear
 * family's mini-batches do), and return its weights and rule state scaled by the row weight it
 * used, ready to be summed and divided (or unscaled, when it is the only shard).
 */
final class ShardSteps {
  private ShardSteps() {}

  /** A shard's contribution to a round, and the sum of several. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    double weightSum;
    double lossSum;
    final double[] gradientSum;
    final double[] weightedWeights;
    RuleState weightedState;

    Partial(int dimension) {
      this.gradientSum = new double[dimension];
      this.weightedWeights = new double[dimension];
    }

    Partial merge(Partial other) {
      weightSum += other.weightSum;
      lossSum += other.lossSum;
      for (int i = 0; i < gradientSum.length; i++) {
        gradientSum[i] += other.gradientSum[i];
        weightedWeights[i] += other.weightedWeights[i];
      }
      if (weightedState == null) {
        weightedState = other.weightedState;
      } else if (other.weightedState != null) {
        weightedState.accumulate(1.0, other.weightedState);
      }
      return this;
    }
  }

  /**
   * Runs the round's steps on one shard.
   *
   * @param weighted whether to scale the weights and rule state by the shard's row weight (for an
   *     average over several shards); unscaled, they are returned exactly as they are
   */
  static Partial run(
      Architecture arch,
      ShardRows rows,
      int shard,
      long seed,
      RoundRequest r,
      double[] start,
      boolean weighted) {
    int dim = arch.dimension();
    Partial out = new Partial(dim);
    long n = rows.numRows();
    if (n == 0) {
      return out;
    }
    StepRule rule = r.rule().copy();
    rule.initialise(r.penalized());
    if (r.state() != null) {
      r.state().restoreInto(rule);
    }
    double[] w = start.clone();
    int steps = r.stepsPerEpoch();
    int capacity = (int) (n / steps) + 1;
    int d = arch.numInputs();
    NetworkPass pass = new NetworkPass(arch, capacity);
    double[] x = new double[capacity * d];
    double[] labels = new double[capacity];
    double[] rowWeights = new double[capacity];
    double[] g = new double[dim];
    double[] effective = new double[dim];
    boolean[] penalized = r.penalized();
    double l2 = r.l2();
    RowPermutation perm = new RowPermutation(seed, r.epoch(), shard, n);
    for (int s = r.firstStep(); s < r.firstStep() + r.steps(); s++) {
      long from = PartitionFold.sliceStart(n, s, steps);
      long to = PartitionFold.sliceStart(n, s + 1, steps);
      int batch = (int) (to - from);
      double batchWeight = 0;
      for (int q = 0; q < batch; q++) {
        batchWeight += rows.copy(perm.apply(from + q), x, labels, rowWeights, q);
      }
      if (!(batchWeight > 0)) {
        continue; // an empty slice (fewer rows than steps) or only zero-weight rows
      }
      java.util.Arrays.fill(g, 0.0);
      double loss =
          pass.lossAndGradient(
              w, x, labels, rowWeights, batch, g, Dropout.key(seed, r.epoch(), s, shard));
      loss /= batchWeight;
      double scale = 1 / batchWeight;
      double penalty = 0;
      double[] gradientSum = out.gradientSum;
      for (int i = 0; i < dim; i++) { // one pass: scale, penalize, add to the round's sum
        double gi = g[i] * scale;
        if (l2 > 0 && penalized[i]) {
          penalty += w[i] * w[i];
          gi += l2 * w[i];
        }
        g[i] = gi;
        gradientSum[i] += batchWeight * gi;
      }
      loss += 0.5 * l2 * penalty;
      out.weightSum += batchWeight;
      out.lossSum += batchWeight * loss;
      if (!Double.isFinite(loss)) {
        break; // the driver sees the non-finite loss and stops the run as diverged
      }
      rule.stepSmooth(w, g, r.learningRate(), effective);
    }
    if (out.weightSum > 0) {
      RuleState state = RuleState.of(rule);
      if (weighted) {
        for (int i = 0; i < dim; i++) {
          out.weightedWeights[i] = out.weightSum * w[i];
        }
        out.weightedState = state.zeros().accumulate(out.weightSum, state);
      } else {
        System.arraycopy(w, 0, out.weightedWeights, 0, dim);
        out.weightedState = state;
      }
    }
    return out;
  }
}
