package dev.arbor.prep;

import dev.arbor.DataValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-hot features of the categorical columns: per column, one feature per fitted level (in the
 * encoder's order: count descending on the training split, ties by value ascending, missing first)
 * and the other bucket, named by {@link FeatureNames#oneHot}; the reference level chosen by the
 * column's {@link DropRule} is left out of the features and kept as the column's reference level
 * (its name stays reserved, so the remaining names do not depend on the rule).
 */
final class OneHotEncoding {
  private static final Logger LOG = LoggerFactory.getLogger(OneHotEncoding.class);

  /** Levels listed in an error message before it says how many there are in all. */
  private static final int LISTED_LEVELS = 20;

  /**
   * The encoded features and the reference levels left out of them.
   *
   * @param features one-hot features in order
   * @param referenceLevels at most one per column, {@link Feature.Origin#CATEGORY} or {@link
   *     Feature.Origin#MISSING}
   */
  record Result(List<Feature> features, List<Feature> referenceLevels) {}

  private OneHotEncoding() {}

  /**
   * Encodes {@code columns} over their fitted {@code levels} ({@code null} = the missing category).
   *
   * @throws DataValidationException when a column's rule names a level that is not among its fitted
   *     levels
   */
  static Result encode(
      List<String> columns,
      Map<String, List<String>> levels,
      PrepareSettings s,
      FeatureNames names) {
    List<Feature> features = new ArrayList<>();
    List<Feature> references = new ArrayList<>();
    for (String c : columns) {
      List<String> fitted = levels.getOrDefault(c, List.of());
      List<String> oneHot = names.oneHot(c, fitted);
      int reference = referenceIndex(c, fitted, s);
      for (int i = 0; i < fitted.size(); i++) {
        String v = fitted.get(i);
        Feature f =
            v == null
                ? new Feature(oneHot.get(i), Feature.Origin.MISSING, c, null, 0, 1)
                : new Feature(oneHot.get(i), Feature.Origin.CATEGORY, c, v, 0, 1);
        (i == reference ? references : features).add(f);
      }
      features.add(new Feature(oneHot.get(fitted.size()), Feature.Origin.OTHER, c, null, 0, 1));
      if (reference >= 0) {
        LOG.info(
            "Categorical column '{}': reference level {} ({} = {}) has no one-hot column",
            c,
            describe(fitted.get(reference)),
            s.dropKey(c),
            s.dropRule(c));
      }
    }
    return new Result(features, references);
  }

  /** The index in {@code fitted} of the column's reference level, -1 for none. */
  private static int referenceIndex(String c, List<String> fitted, PrepareSettings s) {
    DropRule rule = s.dropRule(c);
    switch (rule.kind()) {
      case NONE -> {
        return -1;
      }
      case FIRST -> {
        if (fitted.isEmpty()) {
          LOG.warn(
              "Categorical column '{}' has no fitted level ({} = first): nothing to drop",
              c,
              s.dropKey(c));
        }
        return fitted.isEmpty() ? -1 : 0;
      }
      default -> {
        int at = fitted.indexOf(rule.level());
        if (at < 0) {
          throw new DataValidationException(
              "Cannot drop reference level "
                  + describe(rule.level())
                  + " of categorical column '"
                  + c
                  + "' ("
                  + s.dropKey(c)
                  + "): not among its fitted levels "
                  + list(fitted)
                  + " (the top-k "
                  + s.topK()
                  + " levels of the training split; expected one of them, first or none)");
        }
        return at;
      }
    }
  }

  /** The level quoted, control characters escaped so that a message stays one line. */
  private static String describe(String level) {
    if (level == null) {
      return "<missing>";
    }
    StringBuilder b = new StringBuilder("'");
    level
        .codePoints()
        .forEach(
            cp -> {
              if (Character.isISOControl(cp)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.append('\'').toString();
  }

  private static String list(List<String> fitted) {
    String shown =
        fitted.stream()
            .limit(LISTED_LEVELS)
            .map(OneHotEncoding::describe)
            .collect(Collectors.joining(", "));
    return "["
        + shown
        + (fitted.size() > LISTED_LEVELS ? ", ... (" + fitted.size() + " in all)" : "")
        + "]";
  }
}
