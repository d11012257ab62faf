package dev.arbor.loss.functions;

import dev.arbor.loss.LossFunction;
import java.util.List;
import java.util.Locale;

/** Builds a {@link LossFunction} from its configuration name. */
public final class Losses {
  /** The configuration names, in documentation order. */
  public static final List<String> NAMES =
      List.of("logistic", "multinomial", "squared", "hinge", "huber");

  private Losses() {}

  /**
   * The loss called {@code name}.
   *
   * @param name one of {@link #NAMES} (case-insensitive)
   * @param numFeatures the number of features {@code d}
   * @param numClasses the number of classes of a classification task ({@code >= 2}), or {@code 0}
   *     for regression; {@code logistic} and {@code hinge} need 2, {@code multinomial} at least 2,
   *     {@code squared} and {@code huber} 0
   * @param fitIntercept whether to fit intercepts
   * @param huberDelta the Huber threshold (used by {@code huber} only)
   * @throws IllegalArgumentException naming the loss and what was expected
   */
  public static LossFunction create(
      String name, int numFeatures, int numClasses, boolean fitIntercept, double huberDelta) {
    String n = name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "logistic", "hinge" -> requireClasses(n, numClasses, numClasses == 2, "2 classes");
      case "multinomial" -> requireClasses(n, numClasses, numClasses >= 2, "at least 2 classes");
      case "squared", "huber" ->
          requireClasses(n, numClasses, numClasses == 0, "a regression task (0 classes)");
      default ->
          throw new IllegalArgumentException(
              "Invalid loss: " + name + " (expected one of " + String.join(", ", NAMES) + ")");
    }
    return switch (n) {
      case "logistic" -> new LogisticLoss(numFeatures, fitIntercept);
      case "hinge" -> new HingeLoss(numFeatures, fitIntercept);
      case "multinomial" -> new MultinomialLoss(numFeatures, numClasses, fitIntercept);
      case "squared" -> new SquaredLoss(numFeatures, fitIntercept);
      default -> new HuberLoss(numFeatures, fitIntercept, huberDelta);
    };
  }

  private static void requireClasses(String name, int numClasses, boolean ok, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot use the "
              + name
              + " loss: it needs "
              + expected
              + " but the task has: "
              + numClasses);
    }
  }
}
