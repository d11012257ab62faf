package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One-hot column names (issue 16 item 11): unambiguous, deterministic whatever the level values,
 * and never two columns with one name; ordinary levels keep their plain names.
 */
@Tag("reliability")
class FeatureNamesTest {

  private static List<String> oneHot(String column, String... levels) {
    return new FeatureNames().oneHot(column, Arrays.asList(levels));
  }

  private static String h(String v) {
    return FeatureNames.hash8(v);
  }

  @Test
  void ordinaryLevelsKeepTheirPlainNames() {
    assertThat(oneHot("workclass", "Private", "Self-emp-not-inc", null, "other_2", "null"))
        .containsExactly(
            "workclass__Private",
            "workclass__Self_emp_not_inc",
            "workclass__missing",
            "workclass__other_2",
            "workclass__null",
            "workclass__other");
    assertThat(oneHot("channel", "1", "2"))
        .containsExactly("channel__1", "channel__2", "channel__other");
  }

  @Test
  void aLevelNamedLikeABucketNeverTakesTheBucketsName() {
    assertThat(h("other")).matches("[0-9a-f]{8}");
    assertThat(oneHot("x", "other", "Missing", null, "OTHER"))
        .containsExactly(
            "x__other__" + h("other"),
            "x__Missing__" + h("Missing"),
            "x__missing",
            "x__OTHER__" + h("OTHER"),
            "x__other");
    // the same level gets the same name whatever its rank
    assertThat(oneHot("x", "a", "other"))
        .containsExactly("x__a", "x__other__" + h("other"), "x__other");
  }

  @Test
  void levelsThatSanitizeOrCaseFoldToOneNameAreAllHashed() {
    assertThat(oneHot("x", "a b", "a-b", "a_b", "A", "a", "b"))
        .containsExactly(
            "x__a_b__" + h("a b"),
            "x__a_b__" + h("a-b"),
            "x__a_b__" + h("a_b"),
            "x__A__" + h("A"),
            "x__a__" + h("a"),
            "x__b",
            "x__other");
  }

  @Test
  void emptyAndHashLikeLevelsAreHashedOtherCharactersAreReplaced() {
    String longLevel = "L".repeat(100);
    assertThat(oneHot("x", "", "日本", "y__0123abcd", "café", longLevel, "tab\there"))
        .containsExactly(
            "x____" + h(""),
            "x______" + h("日本"),
            "x__y__0123abcd__" + h("y__0123abcd"),
            "x__caf_",
            "x__" + longLevel,
            "x__tab_here",
            "x__other");
    // long plain levels keep their name; only the prefix of a hashed one is cut to 32 characters
    assertThat(oneHot("x", "a b" + longLevel, "a-b" + longLevel).get(0))
        .isEqualTo("x__a_b" + "L".repeat(29) + "__" + h("a b" + longLevel));
  }

  @Test
  void clashesWithOtherColumnsGetASuffixNotTheBucket() {
    FeatureNames names = new FeatureNames();
    assertThat(names.unique("x__a")).isEqualTo("x__a");
    assertThat(names.unique("x__other")).isEqualTo("x__other");
    assertThat(names.oneHot("x", List.of("a", "b")))
        .containsExactly("x__a_2", "x__b", "x__other_2");
  }

  /**
   * Adversarial level sets (bucket words, case variants, characters outside the name alphabet,
   * underscores, empty): every name is unique ignoring case, matches {@code [A-Za-z0-9_]+}, and a
   * level's name does not depend on the order of the levels.
   */
  @Test
  void namesAreUniqueAndIndependentOfLevelOrder() {
    String[] atoms = {
      "other", "Other", "missing", "_2", "a", "A", " ", "-", "_", "é", "", "__", "1"
    };
    Random random = new Random(16);
    for (int trial = 0; trial < 500; trial++) {
      Set<String> levels = new HashSet<>();
      int n = 1 + random.nextInt(12);
      while (levels.size() < n) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(3); k >= 0; k--) {
          b.append(atoms[random.nextInt(atoms.length)]);
        }
        levels.add(b.toString());
      }
      List<String> ordered = new ArrayList<>(levels);
      Collections.sort(ordered);
      if (random.nextBoolean()) {
        ordered.add(null);
      }
      List<String> names = new FeatureNames().oneHot("c", ordered);
      Set<String> lower = new HashSet<>();
      for (String name : names) {
        assertThat(name).matches("[A-Za-z0-9_]+");
        assertThat(lower.add(name.toLowerCase(Locale.ROOT))).as("%s in %s", name, names).isTrue();
      }
      List<String> shuffled = new ArrayList<>(ordered);
      Collections.shuffle(shuffled, random);
      List<String> again = new FeatureNames().oneHot("c", shuffled);
      Map<String, String> byLevel = new HashMap<>();
      for (int i = 0; i < ordered.size(); i++) {
        byLevel.put(ordered.get(i), names.get(i));
      }
      for (int i = 0; i < shuffled.size(); i++) {
        assertThat(again.get(i))
            .as("level '%s'", shuffled.get(i))
            .isEqualTo(byLevel.get(shuffled.get(i)));
      }
      assertThat(again.get(again.size() - 1)).isEqualTo("c__other");
    }
  }
}
