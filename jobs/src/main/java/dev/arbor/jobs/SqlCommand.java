package dev.arbor.jobs;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.EvaluationTables;
import dev.arbor.catalog.ResultTable;
import dev.arbor.catalog.SqlRunner;
import dev.arbor.spark.JobContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbor sql "SELECT …"} or {@code arbor sql --file F}: runs SQL against the evaluation
 * tables (section {@code catalog} of the config) and prints each result as a plain-text table.
 * Read-only by default: a statement that writes is refused before it runs unless {@code --write} is
 * given ({@link SqlRunner}).
 */
@Command(
    name = "sql",
    description = {
      "Runs SQL against the evaluation tables (runs, metrics, curves, confusion, history, candidates,"
          + " coefficients, predictions; unqualified names resolve in the configured catalog"
          + " namespace) and prints each result as a table. Read-only unless --write. Creates the"
          + " empty tables on first use."
    })
final class SqlCommand extends StageCommand {
  /** Exactly one of the two sources. */
  static final class Source {
    @Parameters(paramLabel = "STATEMENT", description = "SQL to run (several: separate with ;).")
    String sql;

    @Option(names = "--file", paramLabel = "FILE", description = "File of SQL statements (;).")
    Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Most rows printed per statement (default: ${DEFAULT-VALUE}).")
  private int maxRows;

  @Option(
      names = "--write",
      description =
          "Allow statements that write (INSERT, DELETE, UPDATE, MERGE, DDL, CALL, ...). Without it"
              + " only queries, SHOW, DESCRIBE and EXPLAIN run; a write is refused (exit 2).")
  private boolean write;

  @Override
  protected void execute(JobContext context) throws IOException {
    if (source.file != null && !Files.isRegularFile(source.file)) {
      throw new ArborException(
          ExitCode.USAGE, "Cannot read SQL file: no such file: " + source.file);
    }
    String script =
        source.file != null ? Files.readString(source.file, StandardCharsets.UTF_8) : source.sql;
    CatalogSettings catalog = CatalogSettings.from(context.config());
    // The session may have been built without the catalog (catalog keys are runtime settings).
    catalog.applyTo(context.spark());
    EvaluationTables.open(context.spark(), catalog);
    List<ResultTable> results =
        new SqlRunner(context.spark(), catalog, maxRows, write).runScript(script);
    PrintWriter out = spec().commandLine().getOut();
    for (int i = 0; i < results.size(); i++) {
      out.print((i == 0 ? "" : "\n") + results.get(i).render());
    }
    out.flush();
  }
}
