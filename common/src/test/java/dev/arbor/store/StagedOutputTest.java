package dev.arbor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

class StagedOutputTest {
  private final Configuration conf = new Configuration();

  @Test
  void commitMakesTheOutputVisibleAndLeavesNothingElse() throws IOException {
    Path parent = TestPaths.newTempDir("store");
    Path target = parent.resolve("run_date=2024-01-01");
    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      write(out, "a.txt", "new");
      Files.createDirectories(Path.of(java.net.URI.create(out.scratch())));
      assertThat(target).doesNotExist();
      out.commit();
    }
    assertThat(target.resolve("a.txt")).hasContent("new");
    assertThat(target.resolve("_scratch")).doesNotExist();
    assertThat(names(parent)).containsExactly("run_date=2024-01-01");
  }

  @Test
  void reRunReplacesThePreviousOutputWhole() throws IOException {
    Path parent = TestPaths.newTempDir("store");
    Path target = parent.resolve("out");
    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      write(out, "a.txt", "first");
      write(out, "only-in-first.txt", "x");
      out.commit();
    }
    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      write(out, "a.txt", "second");
      out.commit();
    }
    assertThat(target.resolve("a.txt")).hasContent("second");
    assertThat(target.resolve("only-in-first.txt")).doesNotExist();
    assertThat(names(parent)).containsExactly("out");
  }

  @Test
  void aFailureBeforeTheSwapLeavesThePreviousOutputIntact() throws IOException {
    Path parent = TestPaths.newTempDir("store");
    Path target = parent.resolve("out");
    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      write(out, "a.txt", "first");
      out.commit();
    }
    assertThatThrownBy(
            () -> {
              try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
                write(out, "a.txt", "second, never committed");
                throw new IllegalStateException("simulated failure while writing");
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("simulated failure while writing");
    assertThat(target.resolve("a.txt")).hasContent("first");
    assertThat(names(parent)).containsExactly("out");
  }

  @Test
  void recoveryRestoresThePreviousOutputAfterACrashBetweenTheRenames() throws IOException {
    Path parent = TestPaths.newTempDir("store");
    Path target = parent.resolve("out");
    // The state a crash after "rename target -> _old" and before "rename staging -> target" leaves.
    Files.createDirectories(parent.resolve("_old.out.abc"));
    Files.writeString(parent.resolve("_old.out.abc/a.txt"), "previous");
    Files.createDirectories(parent.resolve("_staging.out.abc"));
    Files.writeString(parent.resolve("_staging.out.abc/a.txt"), "complete but uncommitted");
    Files.createDirectories(parent.resolve("_staging.other.abc"));

    StagedOutput.recover(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(target.toUri()));

    assertThat(target.resolve("a.txt")).hasContent("previous");
    assertThat(names(parent)).containsExactly("_staging.other.abc", "out");
  }

  @Test
  void recoveryDeletesAStaleOldFolderWhenTheNewOutputIsInPlace() throws IOException {
    Path parent = TestPaths.newTempDir("store");
    Path target = parent.resolve("out");
    // The state a crash after "rename staging -> target" and before "delete _old" leaves.
    Files.createDirectories(target);
    Files.writeString(target.resolve("a.txt"), "new");
    Files.createDirectories(parent.resolve("_old.out.abc"));

    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      assertThat(names(parent)).hasSize(2).contains("out").doesNotContain("_old.out.abc");
      assertThat(out.target()).endsWith("/out");
    }
    assertThat(target.resolve("a.txt")).hasContent("new");
    assertThat(names(parent)).containsExactly("out");
  }

  @Test
  void commitTwiceIsRejected() {
    Path target = TestPaths.newTempDir("store").resolve("out");
    try (StagedOutput out = StagedOutput.begin(target.toString(), conf)) {
      out.commit();
      assertThatThrownBy(out::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot commit " + out.target() + ": already committed");
    }
  }

  private static void write(StagedOutput out, String name, String content) throws IOException {
    Path dir = Path.of(java.net.URI.create(out.path()));
    Files.writeString(dir.resolve(name), content);
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }
}
