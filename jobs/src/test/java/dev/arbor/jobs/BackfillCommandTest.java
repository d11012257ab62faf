package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backfill command's arguments; the loop itself (skip rule, resume, {@code --force}) is tested
 * in {@code dev.arbor.pipeline.BackfillTest}.
 */
class BackfillCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int backfill(String... args) {
    List<String> all = new ArrayList<>(List.of("backfill"));
    all.addAll(List.of(args));
    return Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
  }

  @Test
  void toBeforeFromIsAUsageError() {
    assertThat(backfill("--from", "2026-01-05", "--to", "2026-01-01")).isEqualTo(2);

    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--to': 2026-01-01"
                + " (expected a date on or after --from 2026-01-05) (see 'arbor backfill --help')"
                + System.lineSeparator());
  }

  @Test
  void anUnknownStageIsAUsageErrorListingTheStages() {
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01", "--stages", "prepare,trian"))
        .isEqualTo(2);

    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--stages': trian"
                + " (expected stages among: prepare, train, evaluate, promote) (see 'arbor backfill"
                + " --help')"
                + System.lineSeparator());
  }

  @Test
  void aBadDateIsAUsageError() {
    assertThat(backfill("--from", "2026-02-30", "--to", "2026-03-01")).isEqualTo(2);

    assertThat(err.toString())
        .startsWith("arbor: error: Invalid value for option '--from': '2026-02-30'");
  }

  @Test
  void configErrorsStopBeforeAnyStage() {
    assertThat(backfill("--from", "2026-01-01", "--to", "2026-01-01", "--set", "modle.name=x"))
        .isEqualTo(3);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("arbor: error: Unknown config key 'modle.name' (--set)");
  }

  @Test
  void isRegisteredInMain() {
    assertThat(Main.commandLine(new PrintWriter(out), new PrintWriter(err)).getSubcommands())
        .containsKey("backfill");
  }
}
