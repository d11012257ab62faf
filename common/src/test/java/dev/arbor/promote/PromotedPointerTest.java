package dev.arbor.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.DataValidationException;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The pointer file: JSON round trip, atomic replacement under concurrent readers, bad files. */
class PromotedPointerTest {
  private static final Configuration CONF = new Configuration();

  private static PromotedPointer.Entry entry(int i) {
    return new PromotedPointer.Entry(
        "2026-01-" + String.format("%02d", 1 + i % 28),
        "r-" + i,
        "/m/" + i + "/model.json",
        "/m/" + i + "/prep-model.json",
        "auc_roc",
        0.5 + i * 1e-6);
  }

  @Test
  void roundTripsAndReplacesAtomicallyWhileReadersRead() throws Exception {
    String root = TestPaths.newTempDir("pointer").toString();
    assertThat(PromotedPointer.read(root, "demo", CONF)).isEmpty();
    PromotedPointer first = new PromotedPointer("demo", entry(0), null);
    String path = first.write(root, CONF);
    assertThat(path).isEqualTo(root + "/models/demo/PROMOTED.json");
    assertThat(PromotedPointer.read(root, "demo", CONF)).contains(first);

    // One writer replaces the pointer 300 times; a reader parses it meanwhile and must always
    // get a whole pointer that was written (a partial file would fail to parse or differ).
    int writes = 300;
    List<PromotedPointer> written = new ArrayList<>();
    for (int i = 1; i <= writes; i++) {
      written.add(new PromotedPointer("demo", entry(i), entry(i - 1)));
    }
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new ArrayList<>();
    List<PromotedPointer> seen = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!done.get()) {
                  seen.add(PromotedPointer.read(root, "demo", CONF).orElseThrow());
                }
              } catch (Throwable t) { // NOPMD: reported by the test thread
                failures.add(t);
              }
            });
    reader.start();
    for (PromotedPointer p : written) {
      p.write(root, CONF);
    }
    done.set(true);
    reader.join();
    assertThat(failures).isEmpty();
    assertThat(seen).isNotEmpty();
    Set<PromotedPointer> valid = new HashSet<>(written);
    valid.add(first);
    assertThat(seen.stream().filter(p -> !valid.contains(p)).toList()).isEmpty();
    assertThat(PromotedPointer.read(root, "demo", CONF)).contains(written.get(writes - 1));
    try (Stream<Path> files = Files.list(Path.of(root, "models/demo"))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("PROMOTED.json");
    }
  }

  @Test
  void aBrokenPointerOrMissingFilesAreDataErrorsNamingThePath() throws IOException {
    String root = TestPaths.newTempDir("pointer-bad").toString();
    Path file = Path.of(root, "models/demo/PROMOTED.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"model\": \"demo\", \"current\": {\"runDate\": ");
    assertThatThrownBy(() -> PromotedPointer.read(root, "demo", CONF))
        .isInstanceOf(DataValidationException.class)
        .hasMessageStartingWith("Cannot read the promoted-model pointer " + file + ": ")
        .hasMessageEndingWith("(restore it, or delete it to promote the next run as the first)");

    new PromotedPointer("other", entry(1), null).write(root, CONF);
    Files.move(
        Path.of(root, "models/other/PROMOTED.json"),
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> PromotedPointer.read(root, "demo", CONF))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot read the promoted-model pointer "
                + file
                + ": it names model other (expected demo)");

    new PromotedPointer("demo", entry(1), null).write(root, CONF);
    assertThatThrownBy(() -> PromotedPointer.requirePromoted(root, "demo", CONF))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot use the promoted model of demo (run 2026-01-02 r-1) named by "
                + file
                + ": missing /m/1/model.json");
    assertThatThrownBy(() -> PromotedPointer.requirePromoted(root, "none", CONF))
        .isInstanceOf(DataValidationException.class)
        .hasMessage(
            "Cannot score with the promoted model of none: none is promoted (no "
                + root
                + "/models/none/PROMOTED.json; run promote, or pass --run-date or --model-path)");
  }
}
