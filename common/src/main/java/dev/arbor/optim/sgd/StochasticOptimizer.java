package dev.arbor.optim.sgd;

import dev.arbor.optim.Decay;
import dev.arbor.optim.LocalStepFunction;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.OptimizerState;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Result;
import dev.arbor.optim.RuleState;
import dev.arbor.optim.StepRule;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.optim.StochasticFunction.MiniBatch;
import dev.arbor.optim.StopReason;
import dev.arbor.optim.run.Objective;
import dev.arbor.optim.run.RunTracker;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Mini-batch stochastic optimization with a pluggable {@link StepRule}. Epoch {@code e} (0-based)
 * runs {@code stepsPerEpoch = ceil(numExamples / batchSize)} steps; step {@code s} evaluates the
 * function on {@code new MiniBatch(e, s, stepsPerEpoch)} (which examples that is, is the function's
 * deterministic choice), adds the L2 gradient of the regularization, lets the rule update the
 * weights with the learning rate {@code decay.at(learningRate, e)}, then applies the L1 part as a
 * proximal step: penalized coordinates are soft-thresholded by {@code λα} times the rule's
 * per-coordinate effective step ({@code learningRate} for SGD, {@code learningRate/(sqrt(v)+ε)} for
 * the adaptive rules), which yields exact zeros.
 *
 * <p>What is reported per epoch: by default the full objective and its (pseudo-)gradient norm,
 * evaluated once at the end of the epoch (one extra full pass per epoch). With {@code
 * evaluateFullObjective} off, the mean of the epoch's mini-batch objectives (each at the weights
 * before its step, L1 term included) and the norm of the mean mini-batch gradient instead: cheaper,
 * noisier, and the stopping criteria then apply to those estimates. A non-finite mini-batch loss
 * stops the run at once as {@link StopReason#DIVERGED}. Snapshots are taken at epoch ends only.
 *
 * <p>With {@code averageEvery = K > 0} the steps run locally instead (see {@link
 * LocalStepFunction}): every shard of the data takes {@code K} steps on its own share of each
 * global mini-batch of {@code batchSize} rows, from the same weights and rule state, then weights
 * and rule states are averaged; an epoch is {@code localStepsPerEpoch} steps per shard, so {@code
 * ceil(localStepsPerEpoch / K)} distributed jobs instead of one per global mini-batch (one per
 * epoch with a single shard: nothing to average, so the steps are sequential training's). The L1
 * penalty is not supported there (no proximal step after an average); the reported per-epoch loss
 * without a full evaluation is the mean of the local batch losses.
 *
 * <p>Immutable and thread-safe (the rule given is a prototype that is copied for each run).
 */
public final class StochasticOptimizer implements Optimizer {
  private final StepRule rule;
  private final double learningRate;
  private final Decay decay;
  private final int batchSize;
  private final boolean evaluateFullObjective;
  private final int averageEvery;

  /**
   * @param rule the step rule prototype (copied per run, never stepped itself)
   * @param learningRate the base learning rate, a finite number > 0
   * @param decay the schedule of the learning rate over epochs
   * @param batchSize examples per mini-batch, >= 1
   * @param evaluateFullObjective whether each epoch ends with one full evaluation (see above)
   */
  public StochasticOptimizer(
      StepRule rule,
      double learningRate,
      Decay decay,
      int batchSize,
      boolean evaluateFullObjective) {
    this(rule, learningRate, decay, batchSize, evaluateFullObjective, 0);
  }

  /**
   * As above, with local steps averaged every {@code averageEvery} steps ({@code 0}: synchronous
   * global mini-batches, one distributed evaluation per step).
   */
  public StochasticOptimizer(
      StepRule rule,
      double learningRate,
      Decay decay,
      int batchSize,
      boolean evaluateFullObjective,
      int averageEvery) {
    if (averageEvery < 0) {
      throw new IllegalArgumentException(
          "Invalid averaging interval: " + averageEvery + " (expected 0 or >= 1 steps)");
    }
    this.averageEvery = averageEvery;
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "Invalid learning rate: " + learningRate + " (expected a finite number > 0)");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("Invalid batch size: " + batchSize + " (expected >= 1)");
    }
    if (rule == null || decay == null) {
      throw new IllegalArgumentException("Invalid stochastic optimizer: rule and decay needed");
    }
    this.rule = rule.copy();
    this.learningRate = learningRate;
    this.decay = decay;
    this.batchSize = batchSize;
    this.evaluateFullObjective = evaluateFullObjective;
  }

  @Override
  public String name() {
    return rule.name();
  }

  /** {@code ceil(numExamples / batchSize)}. */
  public int stepsPerEpoch(long numExamples) {
    long steps = (numExamples + batchSize - 1) / batchSize;
    if (numExamples < 1 || steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Cannot minimize with "
              + name()
              + ": invalid number of examples: "
              + numExamples
              + " (expected 1 to "
              + (long) Integer.MAX_VALUE * batchSize
              + ")");
    }
    return (int) steps;
  }

  @Override
  public Result minimize(Problem problem) {
    if (!(problem.function() instanceof StochasticFunction function)) {
      throw new IllegalArgumentException(
          "Cannot minimize with "
              + name()
              + ": the function is not a StochasticFunction: "
              + problem.function().getClass().getName());
    }
    Objective objective = new Objective(problem);
    if (averageEvery > 0) {
      return minimizeLocally(problem, function, objective);
    }
    RunTracker run = new RunTracker(this, problem);
    int n = objective.dimension();
    int steps = stepsPerEpoch(function.numExamples());
    StepRule stepper = rule.copy();
    stepper.initialise(objective.penalized());
    double[] w;
    double[] loss = new double[1];
    boolean stop;
    if (run.isResumed()) {
      OptimizerState s = run.resumeState();
      w = s.weights();
      loss[0] = s.loss();
      stepper.restore(s);
      stop = run.stopsOnResume();
    } else {
      w = problem.initialWeights();
      if (evaluateFullObjective) {
        loss[0] = objective.smooth(w, new double[n]) + objective.l1Value(w);
        stop = run.start(loss[0]);
      } else {
        loss[0] = Double.NaN;
        run.startWithoutInitialLoss();
        stop = false;
      }
    }
    Consumer<OptimizerState.Builder> state = stepper::save;
    double[] g = new double[n];
    double[] effective = new double[n];
    double[] meanGradient = new double[n];
    while (!stop) {
      int epoch = run.iteration();
      double rate = decay.at(learningRate, epoch);
      double lossSum = 0;
      Arrays.fill(meanGradient, 0);
      for (int s = 0; s < steps; s++) {
        double penalty = evaluateFullObjective ? 0 : objective.l1Value(w);
        double batchLoss = objective.smoothBatch(w, g, new MiniBatch(epoch, s, steps));
        if (!Double.isFinite(batchLoss) || !Objective.allFinite(g)) {
          run.stop(
              StopReason.DIVERGED,
              "Diverged at epoch "
                  + (epoch + 1)
                  + ", step "
                  + s
                  + ": mini-batch loss = "
                  + batchLoss
                  + (Objective.allFinite(g) ? "" : " with a non-finite gradient"));
          return run.result(w, batchLoss, state);
        }
        if (!evaluateFullObjective) {
          lossSum += batchLoss + penalty;
          for (int i = 0; i < n; i++) {
            meanGradient[i] += g[i];
          }
        }
        stepper.step(w, g, rate, effective);
        objective.softThreshold(w, effective);
      }
      double gradientNorm;
      if (evaluateFullObjective) {
        loss[0] = objective.smooth(w, g) + objective.l1Value(w);
        gradientNorm = objective.pseudoGradientNorm(w, g);
      } else {
        loss[0] = lossSum / steps;
        gradientNorm = Objective.norm(meanGradient) / steps;
      }
      stop = run.complete(loss[0], gradientNorm, rate, w, state);
    }
    return run.result(w, loss[0], state);
  }

  private Result minimizeLocally(Problem problem, StochasticFunction f, Objective objective) {
    if (!(f instanceof LocalStepFunction function)) {
      throw new IllegalArgumentException(
          "Cannot minimize with "
              + name()
              + " averaged every "
              + averageEvery
              + " steps: the function cannot run local steps: "
              + f.getClass().getName());
    }
    if (objective.hasL1()) {
      throw new IllegalArgumentException(
          "Cannot minimize with "
              + name()
              + " averaged every "
              + averageEvery
              + " steps: an L1 penalty needs synchronous steps");
    }
    RunTracker run = new RunTracker(this, problem);
    int n = objective.dimension();
    int steps = function.localStepsPerEpoch(batchSize);
    int interval = function.shards() == 1 ? steps : averageEvery;
    StepRule stepper = rule.copy();
    boolean[] penalized = objective.penalized();
    stepper.initialise(penalized);
    double[] w;
    double loss;
    boolean stop;
    if (run.isResumed()) {
      OptimizerState s = run.resumeState();
      w = s.weights();
      loss = s.loss();
      stepper.restore(s);
      stop = run.stopsOnResume();
    } else {
      w = problem.initialWeights();
      if (evaluateFullObjective) {
        loss = objective.smooth(w, new double[n]);
        stop = run.start(loss);
      } else {
        loss = Double.NaN;
        run.startWithoutInitialLoss();
        stop = false;
      }
    }
    Consumer<OptimizerState.Builder> state = stepper::save;
    double[] g = new double[n];
    while (!stop) {
      int epoch = run.iteration();
      double rate = decay.at(learningRate, epoch);
      double lossSum = 0;
      double[] meanGradient = new double[n];
      int rounds = 0;
      for (int from = 0; from < steps; from += interval) {
        LocalStepFunction.Round round =
            function.localSteps(
                new LocalStepFunction.RoundRequest(
                    w,
                    rule,
                    RuleState.of(stepper),
                    penalized,
                    objective.l2Strength(),
                    rate,
                    epoch,
                    from,
                    Math.min(interval, steps - from),
                    steps));
        if (!Double.isFinite(round.meanLoss()) || !Objective.allFinite(round.weights())) {
          run.stop(
              StopReason.DIVERGED,
              "Diverged at epoch "
                  + (epoch + 1)
                  + ", local steps from "
                  + from
                  + ": mean mini-batch loss = "
                  + round.meanLoss());
          return run.result(w, round.meanLoss(), state);
        }
        w = round.weights();
        round.state().restoreInto(stepper);
        lossSum += round.meanLoss();
        for (int i = 0; i < n; i++) {
          meanGradient[i] += round.meanGradient()[i];
        }
        rounds++;
      }
      double gradientNorm;
      if (evaluateFullObjective) {
        loss = objective.smooth(w, g);
        gradientNorm = Objective.norm(g);
      } else {
        loss = lossSum / rounds;
        gradientNorm = Objective.norm(meanGradient) / rounds;
      }
      stop = run.complete(loss, gradientNorm, rate, w, state);
    }
    return run.result(w, loss, state);
  }

  @Override
  public String toString() {
    return "StochasticOptimizer(rule="
        + rule
        + ", learning-rate="
        + learningRate
        + ", decay="
        + decay
        + ", batch-size="
        + batchSize
        + ", evaluate-full-objective="
        + evaluateFullObjective
        + (averageEvery > 0 ? ", average-every=" + averageEvery : "")
        + ")";
  }
}
