package dev.arbor.catalog;

import dev.arbor.config.ArborConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the evaluation tables healthy over years of nightly runs ({@link MaintenanceSettings}),
 * table by table:
 *
 * <ol>
 *   <li>metadata files: sets {@code write.metadata.delete-after-commit.enabled = true} and {@code
 *       write.metadata.previous-versions-max}, so each commit deletes the {@code metadata.json}
 *       files beyond the kept versions;
 *   <li>snapshot expiry (Iceberg's {@code ExpireSnapshots}, on the driver): snapshots older than
 *       the retention are removed from the table, and the data, manifest and manifest-list files no
 *       remaining snapshot references are deleted (the files an overwritten partition's rows were
 *       in). The current snapshot is always kept;
 *   <li>orphan files ({@link SparkActions#deleteOrphanFiles}): files under the table's folder that
 *       no metadata references and older than {@code orphan-min-age-days} are deleted.
 * </ol>
 *
 * <p>Safe next to concurrent writers of other models: expiry is an ordinary Iceberg commit (retried
 * on conflict) and never deletes a file a retained snapshot references; the orphan age limit (at
 * least a day) keeps files of commits in progress. The last orphan check of each table is recorded
 * in its property {@value #ORPHANS_CHECKED_AT} (epoch milliseconds).
 */
public final class TableMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  /** Table property: when orphan files were last looked for (epoch milliseconds). */
  public static final String ORPHANS_CHECKED_AT = "arbor.maintenance.orphans-checked-at";

  private final SparkSession spark;
  private final CatalogSettings catalog;
  private final MaintenanceSettings settings;

  /**
   * What maintenance did to one table.
   *
   * @param table the qualified table name
   * @param expiredSnapshots snapshots removed
   * @param deletedDataFiles data files deleted by the expiry
   * @param deletedMetadataFiles manifests and manifest lists deleted by the expiry
   * @param orphanFiles orphan files deleted, or -1 when they were not looked for
   * @param snapshots snapshots left
   */
  public record TableResult(
      String table,
      int expiredSnapshots,
      long deletedDataFiles,
      long deletedMetadataFiles,
      int orphanFiles,
      int snapshots) {
    /** One line for the command's output. */
    public String line() {
      return "maintained "
          + table
          + ": expired "
          + expiredSnapshots
          + " snapshot(s) ("
          + deletedDataFiles
          + " data and "
          + deletedMetadataFiles
          + " metadata file(s) deleted), "
          + (orphanFiles < 0 ? "orphan files not due" : orphanFiles + " orphan file(s) deleted")
          + ", "
          + snapshots
          + " snapshot(s) kept";
    }
  }

  public TableMaintenance(
      SparkSession spark, CatalogSettings catalog, MaintenanceSettings settings) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
  }

  /**
   * The maintenance of the catalog and settings of {@code config} (sections catalog, maintenance).
   */
  public static TableMaintenance from(SparkSession spark, ArborConfig config) {
    return new TableMaintenance(
        spark, CatalogSettings.from(config), MaintenanceSettings.from(config));
  }

  /**
   * Maintains every existing evaluation table, orphan files included (the {@code maintain}
   * command). Tables that do not exist yet are skipped.
   */
  public List<TableResult> all() {
    return run(true);
  }

  /**
   * Maintenance after a successful run, when {@code maintenance.after-run} is on: as {@link
   * #all()}, but looks for orphan files only where the last check is older than {@code
   * orphan-min-age-days} (a table never checked is only stamped). Never throws: the run's outputs
   * are committed, so a failure here is logged as a warning and left to the next run.
   */
  public void afterRun() {
    if (!settings.afterRun()) {
      return;
    }
    try {
      for (TableResult r : run(false)) {
        if (r.expiredSnapshots() > 0 || r.orphanFiles() > 0) {
          LOG.info("{}", r.line());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Table maintenance after the run failed; the run's outputs are committed, the next run"
              + " or `arbor maintain` retries it: {}",
          e.toString());
    }
  }

  private List<TableResult> run(boolean orphansAlways) {
    List<TableResult> out = new ArrayList<>();
    for (TableDefinitions t : TableDefinitions.values()) {
      String name = catalog.qualified(t.tableName());
      if (!spark.catalog().tableExists(name)) {
        continue;
      }
      out.add(maintain(name, load(name), orphansAlways));
    }
    return out;
  }

  private TableResult maintain(String name, Table table, boolean orphansAlways) {
    long now = System.currentTimeMillis();
    long orphanCutoff = now - settings.orphanMinAgeDays() * MaintenanceSettings.DAY_MILLIS;
    String checkedAt = table.properties().get(ORPHANS_CHECKED_AT);
    boolean orphansDue =
        orphansAlways || (checkedAt != null && parseOrZero(checkedAt) < orphanCutoff);
    setProperties(table, checkedAt == null || orphansDue ? now : -1);

    long expiryCutoff = now - settings.snapshotRetentionDays() * MaintenanceSettings.DAY_MILLIS;
    int expired = expirable(table, expiryCutoff);
    long dataFiles = 0;
    long metadataFiles = 0;
    if (expired > 0) {
      // The Spark action, not the table's own expireSnapshots(): its incremental cleanup keeps a
      // data file as long as the snapshot that removed it (the current one, after an overwrite)
      // lives; the action deletes every file no retained snapshot still holds.
      ExpireSnapshots.Result r =
          SparkActions.get(spark)
              .expireSnapshots(table)
              .expireOlderThan(expiryCutoff)
              .retainLast(1)
              .execute();
      dataFiles = r.deletedDataFilesCount();
      metadataFiles = r.deletedManifestsCount() + r.deletedManifestListsCount();
    }
    int orphans = -1;
    if (orphansDue) {
      DeleteOrphanFiles.Result r =
          SparkActions.get(spark).deleteOrphanFiles(table).olderThan(orphanCutoff).execute();
      orphans = 0;
      for (String location : r.orphanFileLocations()) {
        LOG.info("Deleted orphan file {} of {}", location, name);
        orphans++;
      }
    }
    table.refresh();
    int snapshots = (int) StreamSupport.stream(table.snapshots().spliterator(), false).count();
    return new TableResult(name, expired, dataFiles, metadataFiles, orphans, snapshots);
  }

  /** Snapshots that expiry would remove: older than the cutoff and not the current one. */
  private static int expirable(Table table, long cutoff) {
    Snapshot current = table.currentSnapshot();
    int n = 0;
    for (Snapshot s : table.snapshots()) {
      if (s.timestampMillis() < cutoff
          && (current == null || s.snapshotId() != current.snapshotId())) {
        n++;
      }
    }
    return n;
  }

  /**
   * Sets the metadata-cleanup properties where they differ from the settings, and the orphan-check
   * stamp when {@code orphansCheckedAt >= 0}, in one commit (none when nothing changes).
   */
  private void setProperties(Table table, long orphansCheckedAt) {
    Map<String, String> props = table.properties();
    UpdateProperties update = table.updateProperties();
    boolean changed = false;
    String versions = Integer.toString(settings.metadataVersions());
    if (!"true".equals(props.get(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED))) {
      update.set(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
      changed = true;
    }
    if (!versions.equals(props.get(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX))) {
      update.set(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, versions);
      changed = true;
    }
    if (orphansCheckedAt >= 0) {
      update.set(ORPHANS_CHECKED_AT, Long.toString(orphansCheckedAt));
      changed = true;
    }
    if (changed) {
      update.commit();
    }
  }

  private Table load(String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load table " + name + ": " + e.getMessage(), e);
    }
  }

  private static long parseOrZero(String millis) {
    try {
      return Long.parseLong(millis);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
