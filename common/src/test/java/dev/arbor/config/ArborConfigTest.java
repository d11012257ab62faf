package dev.arbor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.ExitCode;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArborConfigTest {

  @Test
  void defaultsComeFromTheReferenceFile() {
    ArborConfig config = ArborConfig.defaults();
    assertThat(config.string("model.name")).isEqualTo("demo");
    assertThat(config.optionalString("input.test-path")).isNull();
  }

  @Test
  void cliOverridesWinOverTheFileWhichWinsOverDefaults() throws IOException {
    Path file = write("model.name = from_file\noutput.root = \"/tmp/x\"\n");
    ArborConfig config = ArborConfig.load(file, Map.of("model.name", "from_cli"));
    assertThat(config.string("model.name")).isEqualTo("from_cli");
    assertThat(config.string("output.root")).isEqualTo("/tmp/x");
  }

  @Test
  void unknownKeyIsRejectedWithASuggestion() throws IOException {
    Path file = write("modle.name = x\n");
    assertThatThrownBy(() -> ArborConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown config key 'modle.name'")
        .hasMessageContaining("did you mean 'model.name'?")
        .satisfies(e -> assertThat(((ConfigException) e).exitCode()).isEqualTo(ExitCode.CONFIG));
  }

  @Test
  void unknownKeyFromTheCommandLineIsRejected() {
    assertThatThrownBy(() -> ArborConfig.load(null, Map.of("output.rot", "/x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown config key 'output.rot'")
        .hasMessageContaining("did you mean 'output.root'?");
  }

  @Test
  void wrongTypeIsRejectedNamingTheKey() {
    assertThatThrownBy(
            () -> ArborConfig.load(null, Map.of("input.generate-demo-if-missing", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("input.generate-demo-if-missing")
        .hasMessageContaining("boolean");
  }

  @Test
  void freeFormMapsAcceptAnyKey() {
    ArborConfig config =
        ArborConfig.load(null, Map.of("spark.conf.\"spark.sql.shuffle.partitions\"", "8"));
    assertThat(config.stringMap("spark.conf")).containsEntry("spark.sql.shuffle.partitions", "8");
  }

  @Test
  void rangeChecksNameKeyValueAndExpectation() {
    ArborConfig config = ArborConfig.load(null, Map.of("model.name", "x"));
    assertThatThrownBy(() -> config.oneOf("model.name", "a", "b"))
        .hasMessage("Invalid config value for 'model.name': x (expected one of a, b)");
  }

  @Test
  void secretsAreRedactedWhenRendered() {
    ArborConfig config =
        ArborConfig.load(null, Map.of("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"", "hunter2"));
    assertThat(config.renderRedacted()).doesNotContain("hunter2").contains("*****");
    assertThat(config.canonicalJson()).doesNotContain("hunter2");
  }

  @Test
  void missingConfigFileIsAConfigError() {
    assertThatThrownBy(() -> ArborConfig.load(Path.of("/no/such/arbor.conf"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot read config file: no such file: /no/such/arbor.conf");
  }

  private static Path write(String text) throws IOException {
    Path file = TestPaths.newTempDir("config").resolve("job.conf");
    Files.writeString(file, text);
    return file;
  }
}
