package dev.arbor.model;

import static org.apache.spark.sql.functions.col;

import dev.arbor.ingest.Task;
import dev.arbor.nn.Architecture;
import dev.arbor.nn.NetworkPass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a {@link NetworkModel} to prepared rows with a partition function, producing the same
 * Predictions contract as {@link Scoring}: {@code row_id}, {@code label}, {@code weight} (those
 * present), {@code prediction}, and {@code score} (binary) or {@code prob_0 … prob_{K−1}}
 * (multiclass). Rows go through the network's forward pass in chunks of {@value #CHUNK_ROWS} as
 * matrix products.
 *
 * <p>Why not Column expressions, as the linear family: one hidden unit of a 784-input layer is a
 * 784-term sum, and a layer of 128 units a 100,000-term plan; a partition function is the honest
 * form. It is not RAPIDS-eligible (the plan shows a CPU {@code MapPartitions}); reading, preparing
 * and the metrics around it are.
 */
public final class NetworkScoring {
  /** Rows per forward pass. */
  static final int CHUNK_ROWS = 256;

  private NetworkScoring() {}

  /** Scores prepared rows (lazy: a plan, nothing runs). */
  public static Dataset<Row> score(Dataset<Row> prepared, NetworkModel model, double threshold) {
    Scoring.requireFeatures(prepared, model);
    List<String> columns = Arrays.asList(prepared.columns());
    List<Column> in = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    for (String c : Scoring.PASS_THROUGH) {
      if (columns.contains(c)) {
        in.add(col(c));
        fields.add(prepared.schema().apply(c));
      }
    }
    int pass = in.size();
    for (String f : model.features()) {
      in.add(col(f).cast("double"));
    }
    fields.add(DataTypes.createStructField("prediction", DataTypes.DoubleType, true));
    Task task = model.task();
    int k = model.architecture().numOutputs();
    if (task == Task.BINARY) {
      fields.add(DataTypes.createStructField("score", DataTypes.DoubleType, true));
    } else if (task == Task.MULTICLASS) {
      for (int c = 0; c < k; c++) {
        fields.add(DataTypes.createStructField("prob_" + c, DataTypes.DoubleType, true));
      }
    }
    StructType schema = DataTypes.createStructType(fields);
    Forward f = new Forward(model.architecture(), model.weights(), task, threshold, pass);
    return prepared.select(in.toArray(new Column[0])).mapPartitions(f, Encoders.row(schema));
  }

  /** The partition function: captures only the network, never the model record. */
  private static final class Forward implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Architecture arch;
    private final double[] weights;
    private final Task task;
    private final double threshold;
    private final int pass;

    Forward(Architecture arch, double[] weights, Task task, double threshold, int pass) {
      this.arch = arch;
      this.weights = weights;
      this.task = task;
      this.threshold = threshold;
      this.pass = pass;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      int d = arch.numInputs();
      int k = arch.numOutputs();
      NetworkPass net = new NetworkPass(arch, CHUNK_ROWS);
      double[] x = new double[CHUNK_ROWS * d];
      Row[] chunk = new Row[CHUNK_ROWS];
      return new Iterator<>() {
        private final List<Row> out = new ArrayList<>(CHUNK_ROWS);
        private int next;

        @Override
        public boolean hasNext() {
          if (next < out.size()) {
            return true;
          }
          out.clear();
          next = 0;
          int n = 0;
          while (n < CHUNK_ROWS && rows.hasNext()) {
            Row r = rows.next();
            chunk[n] = r;
            for (int j = 0; j < d; j++) {
              x[n * d + j] = r.isNullAt(pass + j) ? Double.NaN : r.getDouble(pass + j);
            }
            n++;
          }
          if (n == 0) {
            return false;
          }
          double[] p = net.predict(weights, x, n);
          for (int i = 0; i < n; i++) {
            out.add(emit(chunk[i], p, i * k, k));
          }
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return out.get(next++);
        }
      };
    }

    private Row emit(Row in, double[] p, int off, int k) {
      int extra = task == Task.MULTICLASS ? 1 + k : task == Task.BINARY ? 2 : 1;
      Object[] values = new Object[pass + extra];
      for (int c = 0; c < pass; c++) {
        values[c] = in.get(c);
      }
      switch (task) {
        case REGRESSION -> values[pass] = p[off];
        case BINARY -> {
          values[pass] = p[off] >= threshold ? 1.0 : 0.0;
          values[pass + 1] = p[off];
        }
        case MULTICLASS -> {
          int best = 0;
          for (int c = 1; c < k; c++) {
            if (p[off + c] > p[off + best]) {
              best = c;
            }
          }
          values[pass] = (double) best;
          for (int c = 0; c < k; c++) {
            values[pass + 1 + c] = p[off + c];
          }
        }
      }
      return RowFactory.create(values);
    }
  }
}
