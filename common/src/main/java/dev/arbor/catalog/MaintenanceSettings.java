package dev.arbor.catalog;

import dev.arbor.config.ArborConfig;

/**
 * Retention of the evaluation tables (section {@code maintenance} of {@code conf/arbor.conf}), read
 * by {@link TableMaintenance}. Immutable.
 *
 * @param afterRun whether the ledger commands ({@code pipeline}, the stage commands, {@code
 *     backfill}) maintain the tables after a successful run ({@code maintenance.after-run})
 * @param snapshotRetentionDays snapshots younger than this are kept, older ones expired; the
 *     current snapshot is always kept; ≥ 0 ({@code maintenance.snapshot-retention-days})
 * @param metadataVersions old {@code metadata.json} files kept per table besides the current one, ≥
 *     1 ({@code maintenance.metadata-versions})
 * @param orphanMinAgeDays unreferenced files are deleted once older than this, ≥ 1 ({@code
 *     maintenance.orphan-min-age-days})
 */
public record MaintenanceSettings(
    boolean afterRun, int snapshotRetentionDays, int metadataVersions, int orphanMinAgeDays) {
  /** Days in a retention setting, as milliseconds. */
  static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

  public MaintenanceSettings {
    if (snapshotRetentionDays < 0 || metadataVersions < 1 || orphanMinAgeDays < 1) {
      throw new IllegalArgumentException(
          "Invalid maintenance settings: snapshot-retention-days "
              + snapshotRetentionDays
              + ", metadata-versions "
              + metadataVersions
              + ", orphan-min-age-days "
              + orphanMinAgeDays
              + " (expected >= 0, >= 1, >= 1)");
    }
  }

  /**
   * Reads section {@code maintenance}.
   *
   * @throws dev.arbor.ConfigException naming the key when a value is out of range
   */
  public static MaintenanceSettings from(ArborConfig config) {
    return new MaintenanceSettings(
        config.bool("maintenance.after-run"),
        config.intInRange("maintenance.snapshot-retention-days", 0, 36_500),
        config.intInRange("maintenance.metadata-versions", 1, 1_000),
        config.intInRange("maintenance.orphan-min-age-days", 1, 36_500));
  }
}
