package dev.arbor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages of {@code docs/} can be navigated: every relative link names a file that
 * exists and, with {@code #anchor}, a heading of that file (GitHub's anchor rules); the README
 * stays short.
 */
class DocsTest {
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$");

  /** The README keeps to what a new user needs first; details go to a page of {@code docs/}. */
  static final long README_MAX_BYTES = 15 * 1024;

  @Test
  void everyRelativeLinkAndAnchorResolves() throws IOException {
    Path root = TestPaths.projectDir();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertThat(pages).hasSizeGreaterThan(5);
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      for (String target : links(page)) {
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(root.relativize(page) + ": " + target + " (no such file)");
        } else if (anchor != null && !anchors(resolved).contains(anchor)) {
          broken.add(root.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void readmeStaysShort() throws IOException {
    long size = Files.size(TestPaths.projectDir().resolve("README.md"));
    assertThat(size)
        .as("README.md is %d bytes; move details into a page of docs/", size)
        .isLessThanOrEqualTo(README_MAX_BYTES);
  }

  @Test
  void anchorsFollowGitHubRules() {
    assertThat(slug("Stage bookkeeping: skipping what already completed"))
        .isEqualTo("stage-bookkeeping-skipping-what-already-completed");
    assertThat(slug("Running locally: `scripts/arbor`")).isEqualTo("running-locally-scriptsarbor");
    assertThat(slug("What runs on the GPU, and what does not"))
        .isEqualTo("what-runs-on-the-gpu-and-what-does-not");
  }

  /** Relative link targets outside fenced code blocks (no scheme, not an e-mail). */
  private static List<String> links(Path page) throws IOException {
    List<String> out = new ArrayList<>();
    boolean code = false;
    for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        code = !code;
      }
      if (code) {
        continue;
      }
      Matcher m = LINK.matcher(line);
      while (m.find()) {
        String target = m.group(1);
        if (!target.matches("^[a-z]+:.*")) {
          out.add(target);
        }
      }
    }
    return out;
  }

  /** The anchors GitHub gives the headings of a Markdown file (none for other files). */
  private static Set<String> anchors(Path file) throws IOException {
    Set<String> out = new HashSet<>();
    if (!file.toString().endsWith(".md")) {
      return out;
    }
    boolean code = false;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        code = !code;
      }
      Matcher m = HEADING.matcher(line);
      if (!code && m.matches()) {
        String base = slug(m.group(1));
        String anchor = base;
        for (int i = 1; !out.add(anchor); i++) {
          anchor = base + "-" + i;
        }
      }
    }
    return out;
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }
}
