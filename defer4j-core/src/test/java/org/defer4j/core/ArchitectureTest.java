package org.defer4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * The structure of DESIGN.md §3, read from the import statements of the main sources: the packages
 * of defer4j-core form no cycle, core imports no edge module (io, cli, server, spark, djl, bench)
 * and nothing heavy, and io imports no edge module above it.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of(System.getProperty("defer4j.root", ".."));
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(org\\.defer4j\\.[a-z]+(?:\\.[a-z]+)?)\\.", Pattern.MULTILINE);

  /** Package → the defer4j packages its main sources import. */
  static Map<String, Set<String>> imports(Path sources) throws IOException {
    Map<String, Set<String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg =
            sources.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.');
        Set<String> deps = out.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            deps.add(m.group(1));
          }
        }
      }
    }
    return out;
  }

  @Test
  void corePackagesFormNoCycleAndImportNoEdgeModule() throws IOException {
    Path src = ROOT.resolve("defer4j-core/src/main/java");
    Map<String, Set<String>> deps = imports(src);
    assertThat(deps).containsKeys("org.defer4j.core.policy", "org.defer4j.core.feature");
    for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
      assertThat(e.getValue())
          .as("imports of %s", e.getKey())
          .allMatch(d -> d.startsWith("org.defer4j.core"));
    }
    assertThat(cycle(deps)).as("a package cycle in defer4j-core").isEmpty();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        assertThat(text)
            .as(f.toString())
            .doesNotContain("import com.fasterxml")
            .doesNotContain("import org.duckdb")
            .doesNotContain("import picocli");
      }
    }
  }

  @Test
  void ioImportsNoModuleAboveIt() throws IOException {
    Map<String, Set<String>> deps = imports(ROOT.resolve("defer4j-io/src/main/java"));
    for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
      assertThat(e.getValue())
          .as("imports of %s", e.getKey())
          .allMatch(d -> d.startsWith("org.defer4j.core") || d.startsWith("org.defer4j.io"));
    }
  }

  /** One cycle of the package graph (its packages in order), or an empty list. */
  static List<String> cycle(Map<String, Set<String>> deps) {
    Map<String, Integer> state = new HashMap<>();
    List<String> stack = new ArrayList<>();
    for (String p : deps.keySet()) {
      List<String> c = visit(p, deps, state, stack);
      if (!c.isEmpty()) {
        return c;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String p, Map<String, Set<String>> deps, Map<String, Integer> state, List<String> stack) {
    Integer s = state.get(p);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null && s == 1) {
      return new ArrayList<>(stack.subList(stack.indexOf(p), stack.size()));
    }
    state.put(p, 1);
    stack.add(p);
    for (String d : deps.getOrDefault(p, new HashSet<>())) {
      List<String> c = visit(d, deps, state, stack);
      if (!c.isEmpty()) {
        return c;
      }
    }
    stack.remove(stack.size() - 1);
    state.put(p, 2);
    return List.of();
  }
}
