package dev.arbor.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link AtomicFiles} on Hadoop's checksummed local filesystem (no Spark). */
@Tag("reliability")
class AtomicFilesTest {
  private static final Configuration CONF = new Configuration();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String[] listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "Atomic file write on the local filesystem — one file, no .crc or temporary file left")
  void replacesTheFileWithOneRenameAndLeavesNoChecksumOrTemporaryFile() throws IOException {
    Path dir = TestPaths.newTempDir("atomic");
    String target = "file:" + dir.resolve("model.json");

    AtomicFiles.write(target, utf8("first"), CONF);
    AtomicFiles.write(target, utf8("second, longer"), CONF);

    // A checksummed write would leave .model.json.crc: a second file that a kill between the two
    // renames of a checksummed rename leaves out of step with the data.
    assertThat(listing(dir)).containsExactly("model.json");
    assertThat(new String(AtomicFiles.read(target, CONF), StandardCharsets.UTF_8))
        .isEqualTo("second, longer");
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "Atomic file write over a file with an old .crc — the new content reads back, no checksum error")
  void replacesAFileWhoseChecksumAnEarlierWriterLeft() throws IOException {
    Path dir = TestPaths.newTempDir("atomic");
    String target = "file:" + dir.resolve("candidate-0.json");
    LocalFileSystem checksummed = FileSystem.getLocal(CONF);
    try (OutputStream out =
        checksummed.create(new org.apache.hadoop.fs.Path(target), /* overwrite= */ true)) {
      out.write(utf8("old checkpoint written with a checksum"));
    }
    assertThat(listing(dir)).containsExactly(".candidate-0.json.crc", "candidate-0.json");

    AtomicFiles.write(target, utf8("new"), CONF);

    assertThat(listing(dir)).containsExactly("candidate-0.json");
    assertThat(new String(AtomicFiles.read(target, CONF), StandardCharsets.UTF_8)).isEqualTo("new");
  }
}
