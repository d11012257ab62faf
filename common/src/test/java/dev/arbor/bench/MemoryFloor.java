package dev.arbor.bench;

import dev.arbor.loss.Block;
import dev.arbor.loss.LossAggregator;
import dev.arbor.loss.LossFunction;
import dev.arbor.loss.kernel.LinearKernel;
import dev.arbor.train.data.TrainingBlocks;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * The memory floor of a gradient pass: one Spark job over the same cached blocks, on the same task
 * threads, that only reads every feature (with the vector loads of {@link LinearKernel#readSum}),
 * sending one number per partition to the driver. No pass over these blocks can be faster than this
 * job: it reads the same {@code n·d·4} (float32) or {@code n·d·8} bytes and does nothing else, and
 * it pays the same fixed cost of scheduling a job. Each task also times its own read loop, which
 * gives the bandwidth without that fixed cost.
 */
final class MemoryFloor {
  private MemoryFloor() {}

  /**
   * One floor job.
   *
   * @param jobSeconds the job's wall time on the driver
   * @param readSeconds the slowest task's time inside its read loop (tasks run in parallel)
   * @param bytes the feature bytes read by the whole job
   * @param slowestBytes the feature bytes read by the slowest task
   */
  record Sample(double jobSeconds, double readSeconds, long bytes, long slowestBytes) {
    /** The slowest task's read rate: one task thread's bandwidth. */
    double taskGigabytesPerSecond() {
      return slowestBytes / readSeconds / 1e9;
    }
  }

  /** Runs one floor job over {@code blocks}. */
  static Sample measure(TrainingBlocks blocks) {
    return run(
        blocks,
        (kernel, b) ->
            b.isFloat32()
                ? kernel.readSum(b.features32(), 0, b.features32().length)
                : kernel.readSum(b.features64(), 0, b.features64().length));
  }

  /**
   * Runs one job over {@code blocks} that reads no feature (it only counts each block's rows): the
   * fixed cost of a job over these partitions, which every pass and floor job pays too.
   */
  static Sample empty(TrainingBlocks blocks) { // its bytes() are the blocks', not read
    return run(blocks, (kernel, b) -> b.numRows());
  }

  /**
   * Runs one job that folds every block into an aggregator of {@code loss} at {@code weights}, as
   * the gradient pass does, timed the same way: the pass's work inside the tasks, without the
   * broadcast and the combination of the partials.
   */
  static Sample fold(TrainingBlocks blocks, LossFunction loss, double[] weights) {
    double[] w = weights.clone();
    LossAggregator[] agg = new LossAggregator[1];
    return run(
        blocks,
        (kernel, b) -> {
          if (agg[0] == null) {
            agg[0] = loss.newAggregator(w);
          }
          return agg[0].add(b).lossSum();
        });
  }

  /** What a task does with one block; returns a number that depends on every byte it read. */
  private interface BlockWork extends Serializable {
    double apply(LinearKernel kernel, Block block);
  }

  private static Sample run(TrainingBlocks blocks, BlockWork work) {
    long started = System.nanoTime();
    List<long[]> parts =
        blocks
            .rdd()
            .mapPartitions(
                it -> {
                  // The fastest read this JVM has, whichever kernel the pass runs.
                  LinearKernel kernel = LinearKernel.vector().orElse(LinearKernel.current());
                  long t = System.nanoTime();
                  long bytes = 0;
                  double sum = 0;
                  while (it.hasNext()) {
                    Block b = it.next();
                    sum += work.apply(kernel, b);
                    bytes +=
                        b.isFloat32() ? 4L * b.features32().length : 8L * b.features64().length;
                  }
                  long nanos = System.nanoTime() - t;
                  // The sum goes back so the JIT cannot drop the reads.
                  return Collections.singletonList(
                          new long[] {nanos, bytes, Double.doubleToRawLongBits(sum)})
                      .iterator();
                })
            .collect();
    double job = (System.nanoTime() - started) / 1e9;
    long slowest = 0;
    long slowestBytes = 0;
    long bytes = 0;
    for (long[] p : parts) {
      if (p[0] > slowest) {
        slowest = p[0];
        slowestBytes = p[1];
      }
      bytes += p[1];
    }
    return new Sample(job, slowest / 1e9, bytes, slowestBytes);
  }
}
