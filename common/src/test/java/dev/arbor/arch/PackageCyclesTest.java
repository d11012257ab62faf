package dev.arbor.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in the main sources of {@code common} and {@code jobs}: neither between Java
 * packages nor between the top-level areas ({@code dev.arbor.<area>}, sub-packages included). A
 * dependency is an import (static too) or a fully qualified {@code dev.arbor} name in code;
 * comments are ignored. Reads source text only (no Spark, no class loading).
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(dev\\.arbor(?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @Test
  void thePackagesHaveNoCycles() {
    Map<String, Map<String, Set<String>>> graph = graph(Integer.MAX_VALUE);
    assertThat(graph).as("packages read").hasSizeGreaterThan(20);
    assertThat(describe(cycles(graph), graph)).isEmpty();
  }

  @Test
  void theTopLevelAreasHaveNoCycles() {
    Map<String, Map<String, Set<String>>> graph = graph(3);
    assertThat(graph).containsKeys("dev.arbor.train", "dev.arbor.model", "dev.arbor.jobs");
    assertThat(describe(cycles(graph), graph)).isEmpty();
  }

  @Test
  void findsACycle() {
    Map<String, Map<String, Set<String>>> g = new TreeMap<>();
    g.put("a", Map.of("b", Set.of("A.java")));
    g.put("b", Map.of("c", Set.of("B.java")));
    g.put("c", Map.of("a", Set.of("C.java")));
    g.put("d", Map.of("a", Set.of("D.java")));
    assertThat(cycles(g)).containsExactly(List.of("a", "b", "c"));
    assertThat(describe(cycles(g), g))
        .containsExactly("a -> b (A.java)", "b -> c (B.java)", "c -> a (C.java)");
  }

  /**
   * package → package it uses → the files that use it, with package names cut to {@code depth}
   * segments.
   */
  private static Map<String, Map<String, Set<String>>> graph(int depth) {
    Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("../jobs/src/main/java"))) {
      assertThat(root).as("source folder (tests run in the module folder)").isDirectory();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String text = COMMENTS.matcher(Files.readString(f)).replaceAll("");
          Matcher p = PACKAGE.matcher(text);
          if (!p.find()) {
            continue;
          }
          String from = cut(p.group(1), depth);
          Map<String, Set<String>> edges = graph.computeIfAbsent(from, k -> new TreeMap<>());
          Matcher r = REFERENCE.matcher(text.substring(p.end()));
          while (r.find()) {
            String to = cut(r.group(1), depth);
            if (!to.equals(from)) {
              edges.computeIfAbsent(to, k -> new TreeSet<>()).add(f.getFileName().toString());
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return graph;
  }

  private static String cut(String pkg, int depth) {
    String[] parts = pkg.split("\\.");
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length)));
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Map<String, Set<String>>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> out = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, out);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Map<String, Set<String>>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      List<List<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        component.sort(null);
        out.add(component);
      }
    }
  }

  /** Each edge inside a cycle, with the files that make it: what to fix. */
  private static List<String> describe(
      List<List<String>> cycles, Map<String, Map<String, Set<String>>> graph) {
    List<String> out = new ArrayList<>();
    for (List<String> cycle : cycles) {
      for (String a : cycle) {
        for (String b : cycle) {
          Set<String> files = graph.getOrDefault(a, Map.of()).get(b);
          if (files != null) {
            out.add(a + " -> " + b + " (" + String.join(", ", files) + ")");
          }
        }
      }
    }
    return out;
  }
}
