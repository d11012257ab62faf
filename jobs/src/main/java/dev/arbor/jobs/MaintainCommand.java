package dev.arbor.jobs;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.catalog.MaintenanceSettings;
import dev.arbor.catalog.TableMaintenance;
import dev.arbor.config.ArborConfig;
import dev.arbor.spark.JobContext;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code arbor maintain}: expires old snapshots, deletes the files they alone held, old metadata
 * files and orphan files of every evaluation table ({@link TableMaintenance}, section {@code
 * maintenance}). One line per table.
 */
@Command(
    name = "maintain",
    description = {
      "Maintains the evaluation tables: expires snapshots older than"
          + " maintenance.snapshot-retention-days (deleting the data and metadata files only they"
          + " held), keeps maintenance.metadata-versions old metadata files and deletes orphan files"
          + " older than maintenance.orphan-min-age-days. Pipeline runs do the same after each run"
          + " (maintenance.after-run), looking for orphan files less often."
    })
final class MaintainCommand extends StageCommand {
  @Override
  protected void check(ArborConfig config) {
    MaintenanceSettings.from(config);
  }

  @Override
  protected void execute(JobContext context) {
    CatalogSettings catalog = CatalogSettings.from(context.config());
    catalog.applyTo(context.spark());
    PrintWriter out = spec().commandLine().getOut();
    List<TableMaintenance.TableResult> results =
        new TableMaintenance(context.spark(), catalog, MaintenanceSettings.from(context.config()))
            .all();
    if (results.isEmpty()) {
      out.println(
          "no evaluation tables in "
              + catalog.name()
              + "."
              + catalog.namespace()
              + " yet: nothing to maintain");
    }
    results.forEach(r -> out.println(r.line()));
    out.flush();
  }
}
