package dev.arbor.train;

import dev.arbor.config.ArborConfig;
import dev.arbor.loss.WeightLayout;
import dev.arbor.optim.StochasticFunction;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.pass.DistributedObjective;
import dev.arbor.train.pass.GradientSettings;
import dev.arbor.train.pass.TrainingObjectives;
import dev.arbor.train.sql.SqlObjective;
import dev.arbor.train.sql.SqlObjectives;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Which implementation evaluates the training objective, from {@code train.backend}: the CPU {@code
 * tree} backend (cached blocks and {@code treeAggregate}: RDD code, which the RAPIDS Accelerator
 * cannot run) or the {@code sql} backend ({@code dev.arbor.train.sql}: one DataFrame aggregation
 * per pass, GPU-eligible). {@code auto} picks {@code sql} when the session runs the RAPIDS SQL
 * plugin ({@code spark.plugins} contains {@value #RAPIDS_PLUGIN} and {@code
 * spark.rapids.sql.enabled} is not {@code false}), else {@code tree}. Both serve the same optimizer
 * interface and compute the same objective.
 */
public enum GradientBackend {
  /** Blocks of primitive arrays and {@code treeAggregate} (CPU). */
  TREE,
  /** A DataFrame aggregation per pass (GPU under RAPIDS, CPU otherwise). */
  SQL;

  /** The config key. */
  public static final String KEY = "train.backend";

  /** The RAPIDS Accelerator's Spark plugin class. */
  public static final String RAPIDS_PLUGIN = "com.nvidia.spark.SQLPlugin";

  /**
   * The backend {@code train.backend} selects for {@code spark}'s session.
   *
   * @throws dev.arbor.ConfigException when the value is not {@code tree}, {@code sql} or {@code
   *     auto}
   */
  public static GradientBackend choose(ArborConfig config, SparkSession spark) {
    return choose(config.oneOf(KEY, "tree", "sql", "auto"), spark);
  }

  /** The backend for the configured value ({@code tree}, {@code sql} or {@code auto}). */
  public static GradientBackend choose(String configured, SparkSession spark) {
    return switch (configured) {
      case "tree" -> TREE;
      case "sql" -> SQL;
      default -> rapidsSqlEnabled(spark.conf()) ? SQL : TREE;
    };
  }

  /**
   * Whether {@code conf} loads the RAPIDS SQL plugin with SQL acceleration on: {@code
   * spark.plugins} lists {@value #RAPIDS_PLUGIN} and {@code spark.rapids.sql.enabled} is not {@code
   * false}.
   */
  public static boolean rapidsSqlEnabled(RuntimeConfig conf) {
    return rapidsSqlEnabled(
        conf.get("spark.plugins", ""), conf.get("spark.rapids.sql.enabled", "true"));
  }

  /** {@link #rapidsSqlEnabled(RuntimeConfig)} on the two settings' values. */
  static boolean rapidsSqlEnabled(String plugins, String sqlEnabled) {
    boolean loaded =
        Arrays.stream(plugins.split(",")).map(String::strip).anyMatch(RAPIDS_PLUGIN::equals);
    return loaded && !"false".equals(sqlEnabled.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * The training objective of this backend over {@code split}, with its weight layout. The tree
   * backend builds and caches blocks ({@code TrainingObjectives}); the sql backend caches the
   * selected columns ({@code SqlObjectives}). Both validate the split the same way.
   *
   * @param split the prepared split
   * @param featureNames the prep model's feature columns, in order
   * @param classes the prep model's classes in index order; empty for regression
   * @param settings the gradient settings ({@code train.*})
   */
  public Objective open(
      Dataset<Row> split,
      List<String> featureNames,
      List<String> classes,
      GradientSettings settings) {
    if (this == SQL) {
      SqlObjective f = SqlObjectives.objective(split, featureNames, classes, settings);
      return new Objective(f, f.layout(), f::close);
    }
    TrainingBlocks blocks = TrainingObjectives.blocks(split, featureNames, classes, settings);
    try {
      DistributedObjective f = TrainingObjectives.objective(blocks, settings);
      return new Objective(f, f.layout(), blocks::close);
    } catch (RuntimeException e) {
      blocks.close();
      throw e;
    }
  }

  /**
   * An objective of either backend and where its weights sit; {@link #close()} releases its cached
   * data (the function must not be called afterwards).
   *
   * @param function the weighted mean loss, for the optimizers
   * @param layout the weight layout ({@link WeightLayout#interceptIndices()} are not regularized)
   * @param release what {@link #close()} runs
   */
  public record Objective(StochasticFunction function, WeightLayout layout, Runnable release)
      implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /** The config spelling ({@code tree}, {@code sql}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
