package dev.arbor.bench;

import dev.arbor.loss.functions.LogisticLoss;
import dev.arbor.loss.kernel.LinearKernel;
import dev.arbor.optim.Optimizer;
import dev.arbor.optim.Problem;
import dev.arbor.optim.Regularization;
import dev.arbor.optim.Result;
import dev.arbor.optim.StoppingCriteria;
import dev.arbor.optim.lbfgs.Lbfgs;
import dev.arbor.train.data.ClassWeights;
import dev.arbor.train.data.Precision;
import dev.arbor.train.data.TrainingBlocks;
import dev.arbor.train.pass.DistributedObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;

/**
 * The benchmark of {@code scripts/bench-train}: Arbor's training against Spark MLlib's {@code
 * LogisticRegression} on the same generated dense data and the same objective (mean logistic loss +
 * λ/2·‖w‖², unpenalized intercept, no standardization), in one session.
 *
 * <p>Reports, for Arbor: block build time, cached bytes, the median of one full gradient pass, and
 * the time L-BFGS needs to reach MLlib's final objective (evaluated by Arbor's objective on the
 * same blocks); for MLlib: the fit time, its iterations, the time per iteration (fit time /
 * iterations, and the marginal (fit(k) − fit(1)) / (k − 1), which leaves out MLlib's one-off data
 * preparation), and the largest cached bytes seen while it fits. Also the process CPU time of each
 * phase: the machine may be shared, and wall time alone then misleads.
 *
 * <p>The pass is set against its memory floor, measured in the same run: a job over the same cached
 * blocks on the same task threads that only reads the features ({@link MemoryFloor}); passes and
 * floor jobs alternate, so both see the same load, and the load average is printed with them.
 *
 * <p>Options: {@code --rows} (2000000) {@code --features} (100) {@code --partitions} (2) {@code
 * --precision} (float32) {@code --lambda} (1e-4) {@code --repeats} (5) {@code --data} (folder for
 * the generated Parquet, reused when present: work/bench/data-<rows>x<features>).
 */
public final class TrainBench {
  private TrainBench() {}

  public static void main(String[] args) throws Exception {
    long rows = 2_000_000;
    int features = 100;
    int partitions = 2;
    int repeats = 5;
    double lambda = 1e-4;
    Precision precision = Precision.FLOAT32;
    String data = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(v);
        case "--features" -> features = Integer.parseInt(v);
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--repeats" -> repeats = Integer.parseInt(v);
        case "--lambda" -> lambda = Double.parseDouble(v);
        case "--precision" -> precision = Precision.valueOf(v.toUpperCase(Locale.ROOT));
        case "--data" -> data = v;
        default -> throw new IllegalArgumentException("Invalid option: " + args[i]);
      }
    }
    if (data == null) {
      data = "work/bench/data-" + rows + "x" + features + "-p" + partitions;
    }
    SparkSession spark =
        SparkSession.builder()
            .appName("arbor-bench-train")
            .config("spark.ui.enabled", "false")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      run(spark, rows, features, partitions, repeats, lambda, precision, data);
    } finally {
      spark.stop();
    }
  }

  static void run(
      SparkSession spark,
      long rows,
      int features,
      int partitions,
      int repeats,
      double lambda,
      Precision precision,
      String data) {
    Path dataPath = Paths.get(data);
    if (!Files.exists(dataPath.resolve("_SUCCESS"))) {
      long t = System.nanoTime();
      GradientPassBench.generate(spark, rows, features, partitions, 7)
          .write()
          .mode("overwrite")
          .parquet(data);
      print("generated %d x %d into %s in %.1f s", rows, features, data, secs(t));
    }
    Dataset<Row> split = spark.read().parquet(data);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("f_" + j);
    }
    print(
        "master %s, %d input partitions, lambda %g, Arbor precision %s, load average %s",
        spark.sparkContext().master(),
        split.rdd().getNumPartitions(),
        lambda,
        precision.configName(),
        loadAverage());

    // ---- MLlib ----
    Dataset<Row> assembled =
        new VectorAssembler()
            .setInputCols(names.toArray(new String[0]))
            .setOutputCol("features")
            .transform(split);
    LogisticRegression lr =
        new LogisticRegression()
            .setRegParam(lambda)
            .setElasticNetParam(0)
            .setStandardization(false)
            .setFitIntercept(true)
            .setMaxIter(100)
            .setTol(1e-6);
    // JIT warm-up on a small sample, not timed.
    lr.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(5).fit(assembled.limit(20_000));
    AtomicLong mllibCached = new AtomicLong();
    Thread sampler = storageSampler(spark, mllibCached);
    JobTimes jobs = new JobTimes();
    spark.sparkContext().addSparkListener(jobs);
    long cpu = cpuNanos();
    long t = System.nanoTime();
    LogisticRegressionModel ml = lr.fit(assembled);
    double mlSecs = secs(t);
    double mlCpu = (cpuNanos() - cpu) / 1e9;
    sampler.interrupt();
    List<Double> mlPasses = jobs.drain("treeAggregate");
    cpu = cpuNanos();
    t = System.nanoTime();
    lr.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(1).fit(assembled);
    double oneSecs = secs(t);
    double oneCpu = (cpuNanos() - cpu) / 1e9;
    jobs.drain("");
    int iterations = ml.summary().totalIterations();
    print(
        "MLlib: fit %.1f s (CPU %.1f s), %d iterations, %.3f s/iteration (fit/iterations),"
            + " %.3f s/iteration marginal ((fit - fit(maxIter=1) %.1f s) / (iterations - 1)),"
            + " max cached %.1f MB, intercept %.6f",
        mlSecs,
        mlCpu,
        iterations,
        mlSecs / iterations,
        (mlSecs - oneSecs) / Math.max(1, iterations - 1),
        oneSecs,
        mllibCached.get() / 1e6,
        ml.intercept());
    print("MLlib maxIter=1 fit: %.1f s (CPU %.1f s)", oneSecs, oneCpu);
    double mlPass = median(mlPasses);
    print(
        "MLlib: %d treeAggregate jobs (its loss/gradient passes) during the fit, median %.3f s",
        mlPasses.size(), mlPass);
    assembled.unpersist();

    // ---- Arbor ----
    cpu = cpuNanos();
    t = System.nanoTime();
    try (TrainingBlocks blocks =
        TrainingBlocks.build(
            split,
            names,
            2,
            ClassWeights.none(),
            4096,
            precision,
            StorageLevel.MEMORY_AND_DISK())) {
      double buildSecs = secs(t);
      double buildCpu = (cpuNanos() - cpu) / 1e9;
      DistributedObjective f =
          new DistributedObjective(blocks, new LogisticLoss(features, true), 0, 7);
      Regularization reg = Regularization.l2(lambda).excluding(f.layout().interceptIndices());
      double[] w = new double[f.dimension()];
      double[] g = new double[w.length];
      f.valueAndGradient(w, g); // warm-up
      jobs.drain("");
      MemoryFloor.measure(blocks); // warm-up (JIT) of the floor job, not timed
      MemoryFloor.measure(blocks);
      jobs.drain("");
      // Passes and floor jobs alternate, so both see the same load on a shared machine.
      double[] pass = new double[repeats];
      double[] passCpu = new double[repeats];
      double[] floorJob = new double[repeats];
      double[] floorRead = new double[repeats];
      double[] foldInTasks = new double[repeats];
      double[] taskRate = new double[repeats];
      double[] emptyJob = new double[repeats];
      long floorBytes = 0;
      String loadBefore = loadAverage();
      for (int r = 0; r < repeats; r++) {
        long c = cpuNanos();
        long s = System.nanoTime();
        f.valueAndGradient(w, g);
        pass[r] = secs(s);
        passCpu[r] = (cpuNanos() - c) / 1e9;
        MemoryFloor.Sample floor = MemoryFloor.measure(blocks);
        floorJob[r] = floor.jobSeconds();
        floorRead[r] = floor.readSeconds();
        floorBytes = floor.bytes();
        taskRate[r] = floor.taskGigabytesPerSecond();
        foldInTasks[r] = MemoryFloor.fold(blocks, f.loss(), w).readSeconds();
        emptyJob[r] = MemoryFloor.empty(blocks).jobSeconds();
      }
      String loadAfter = loadAverage();
      double median = GradientPassBench.median(pass);
      double floor = GradientPassBench.median(floorJob);
      double read = GradientPassBench.median(floorRead);
      double fold = GradientPassBench.median(foldInTasks);
      List<Double> arborJobs = jobs.drain("treeAggregate");
      print(
          "Arbor: blocks built in %.1f s (CPU %.1f s), cached %.1f MB, one gradient pass median"
              + " %.3f s (CPU %.3f s) of %d, kernel: %s",
          buildSecs,
          buildCpu,
          blocks.cachedBytes() / 1e6,
          median,
          GradientPassBench.median(passCpu),
          repeats,
          LinearKernel.current());
      print(
          "Memory floor (a job over the same cached blocks on the same task threads that only"
              + " reads the %.1f MB of features): median %.3f s; pass / floor = %.2fx. Inside the"
              + " tasks (slowest task, without the job's fixed cost): read %.3f s (%.1f GB/s on"
              + " its thread; the job as a whole read %.1f GB/s),"
              + " the pass's fold %.3f s = %.2fx the read (passes %s s, floors %s s; load average"
              + " %s before, %s after)",
          floorBytes / 1e6,
          floor,
          median / floor,
          read,
          GradientPassBench.median(taskRate),
          floorBytes / floor / 1e9,
          fold,
          fold / read,
          Arrays.toString(round3(pass)),
          Arrays.toString(round3(floorJob)),
          loadBefore,
          loadAfter);
      double empty = GradientPassBench.median(emptyJob);
      print(
          "Spark's fixed cost: a job over the same %d partitions that reads no feature, median"
              + " %.3f s (%s s): %.0f%% of the floor job",
          blocks.numPartitions(), empty, Arrays.toString(round3(emptyJob)), 100 * empty / floor);
      print(
          "Arbor: %d treeAggregate jobs, median %.3f s (same listener as for MLlib)",
          arborJobs.size(), median(arborJobs));

      double[] mlWeights = new double[f.dimension()];
      double[] coef = ml.coefficients().toArray();
      System.arraycopy(coef, 0, mlWeights, 0, coef.length);
      mlWeights[f.layout().interceptIndex(0)] = ml.intercept();
      double target = objective(f, reg, mlWeights);
      print("MLlib's final objective (Arbor's objective on the same blocks): %.9f", target);

      long[] reached = {-1};
      int[] reachedAt = {-1};
      long startOpt = System.nanoTime();
      cpu = cpuNanos();
      Optimizer lbfgs = new Lbfgs(10);
      Result res =
          lbfgs.minimize(
              Problem.of(f, new double[f.dimension()])
                  .withRegularization(reg)
                  .withStopping(new StoppingCriteria(300, 0, 0, java.time.Duration.ZERO))
                  .withListener(
                      ctx -> {
                        if (ctx.record().loss() <= target && reached[0] < 0) {
                          reached[0] = System.nanoTime() - startOpt;
                          reachedAt[0] = ctx.record().iteration();
                          ctx.requestStop("reached MLlib's objective");
                        }
                      }));
      double optCpu = (cpuNanos() - cpu) / 1e9;
      double optSecs = reached[0] >= 0 ? reached[0] / 1e9 : secs(startOpt);
      print(
          "Arbor L-BFGS: %s MLlib's objective after %d iterations, %.1f s optimizing (CPU %.1f s);"
              + " with block build %.1f s; final objective %.9f",
          reached[0] >= 0 ? "reached" : "did NOT reach",
          reached[0] >= 0 ? reachedAt[0] : res.iterations(),
          optSecs,
          optCpu,
          optSecs + buildSecs,
          res.loss());
      print(
          "RATIOS: Arbor pass / memory floor = %.2fx (target <= 2); MLlib median gradient job /"
              + " Arbor pass = %.2fx (target >= 6; job / job %.2fx; MLlib median gradient job /"
              + " memory floor = %.2fx, the most any pass could reach in this run); MLlib s/iteration"
              + " (fit/iterations) / Arbor pass = %.2fx; Arbor time-to-objective (with build) /"
              + " MLlib fit = %.2f (target <= 0.5)",
          median / floor,
          mlPass / median,
          mlPass / median(arborJobs),
          mlPass / floor,
          (mlSecs / iterations) / median,
          (optSecs + buildSecs) / mlSecs);
    }
  }

  /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "?" where unreadable. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static double[] round3(double[] values) {
    return Arrays.stream(values).map(v -> Math.rint(v * 1000) / 1000).toArray();
  }

  private static double objective(DistributedObjective f, Regularization reg, double[] w) {
    double v = f.valueAndGradient(w, new double[w.length]);
    double sq = 0;
    boolean[] penalized = reg.penalizedMask(w.length);
    for (int i = 0; i < w.length; i++) {
      if (penalized[i]) {
        sq += w[i] * w[i];
      }
    }
    return v + 0.5 * reg.l2Strength() * sq;
  }

  /** Polls the storage of every cached RDD once a second; keeps the largest total seen. */
  private static Thread storageSampler(SparkSession spark, AtomicLong max) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long total = 0;
                for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
                  total += info.memSize() + info.diskSize();
                }
                max.accumulateAndGet(total, Math::max);
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "mllib-storage-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static double median(List<Double> values) {
    return values.isEmpty()
        ? Double.NaN
        : GradientPassBench.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Durations of finished jobs, in seconds, with their call sites. */
  private static final class JobTimes extends org.apache.spark.scheduler.SparkListener {
    private final java.util.Map<Integer, Long> started =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, String> sites =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Object[]> done = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
      started.put(e.jobId(), e.time());
      // The job's last stage is named after the action's call site, e.g. "treeAggregate at …".
      StringBuilder site = new StringBuilder();
      for (org.apache.spark.scheduler.StageInfo st :
          scala.jdk.javaapi.CollectionConverters.asJava(e.stageInfos())) {
        site.append(st.name()).append(';');
      }
      sites.put(e.jobId(), site.toString());
    }

    @Override
    public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
      Long s = started.remove(e.jobId());
      String site = sites.remove(e.jobId());
      if (s != null) {
        done.add(new Object[] {site, (e.time() - s) / 1000.0});
      }
    }

    /** The durations of the jobs whose call site contains {@code text}, then forgets all jobs. */
    List<Double> drain(String text) {
      try {
        Thread.sleep(500); // the listener bus is asynchronous
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      List<Double> out = new ArrayList<>();
      synchronized (done) {
        for (Object[] d : done) {
          if (((String) d[0]).contains(text)) {
            out.add((Double) d[1]);
          }
        }
        done.clear();
      }
      return out;
    }
  }

  private static long cpuNanos() {
    return GradientPassBench.processCpuNanos();
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void print(String format, Object... args) {
    System.out.println("bench-train: " + String.format(Locale.ROOT, format, args));
  }
}
