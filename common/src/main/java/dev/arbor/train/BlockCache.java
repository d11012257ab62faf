package dev.arbor.train;

import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.pass.DistributedObjective;
import dev.arbor.train.pass.GradientSettings;
import dev.arbor.train.pass.TrainingObjectives;
import dev.arbor.train.sql.SqlObjective;
import dev.arbor.train.sql.SqlObjectives;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The linear family's training objectives over cached data, shared by the candidates of a run: the
 * tree backend's blocks (one set per data set and class weights) or the sql backend's cached rows
 * (one per data set and gradient settings). A family that trains on the same blocks (e.g. a network
 * over {@link TrainingBlocks}) may keep one too. Not thread-safe; one per run, on the driver
 * thread; {@link #close()} unpersists everything.
 */
public final class BlockCache implements AutoCloseable {
  private final GradientBackend backend;
  private final List<String> features;
  private final List<String> classes;
  private final Map<String, TrainingBlocks> blocks = new HashMap<>();
  private final Map<String, SqlObjective> sqlObjectives = new HashMap<>();
  private int blocksBuilt;

  public BlockCache(GradientBackend backend, List<String> features, List<String> classes) {
    this.backend = backend;
    this.features = features;
    this.classes = classes;
  }

  /** The objective of {@code gradient} on {@code data}, cached under {@code key}. */
  GradientBackend.Objective objective(String key, GradientSettings gradient, Dataset<Row> data) {
    if (backend == GradientBackend.SQL) {
      SqlObjective f =
          sqlObjectives.computeIfAbsent(
              key + "|" + gradient,
              k -> SqlObjectives.objective(data, features, classes, gradient));
      return new GradientBackend.Objective(f, f.layout(), () -> {});
    }
    DistributedObjective f = TrainingObjectives.objective(blocks(key, gradient, data), gradient);
    return new GradientBackend.Objective(f, f.layout(), () -> {});
  }

  /** The tree backend's objective of {@code gradient} on {@code data} (the validation loss). */
  DistributedObjective treeObjective(String key, GradientSettings gradient, Dataset<Row> data) {
    return TrainingObjectives.objective(blocks(key, gradient, data), gradient);
  }

  /**
   * The cached blocks of {@code data} under {@code key} (built on first use): shared by every
   * candidate whose class weights are the same.
   */
  public TrainingBlocks blocks(String key, GradientSettings g, Dataset<Row> data) {
    // Candidates cannot override train.block-size or train.precision (TrainSettings), so only
    // class weights can make a candidate's blocks differ.
    String k = key + "|" + g.classWeights() + "|" + g.classWeightValues();
    return blocks.computeIfAbsent(
        k,
        x -> {
          blocksBuilt++;
          return TrainingObjectives.blocks(data, features, classes, g);
        });
  }

  /** How many sets of training blocks were built (candidates share them). */
  int blocksBuilt() {
    return blocksBuilt;
  }

  /** Frees what is cached under {@code key}. */
  public void release(String key) {
    release(sqlObjectives, key, SqlObjective::close);
    release(blocks, key, TrainingBlocks::close);
  }

  private static <V> void release(Map<String, V> cache, String key, Consumer<V> close) {
    cache
        .entrySet()
        .removeIf(
            e -> {
              if (!e.getKey().startsWith(key + "|")) {
                return false;
              }
              close.accept(e.getValue());
              return true;
            });
  }

  @Override
  public void close() {
    blocks.values().forEach(TrainingBlocks::close);
    blocks.clear();
    sqlObjectives.values().forEach(SqlObjective::close);
    sqlObjectives.clear();
  }
}
