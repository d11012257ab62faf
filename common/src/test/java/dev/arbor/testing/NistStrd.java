package dev.arbor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NIST StRD linear least-squares dataset ({@code ../shared/datasets/nist-strd-linear-regression})
 * parsed from its fixed-width {@code .dat} file: the certified parameter estimates and standard
 * deviations (the "Certified Values" line range named in the header) and the data block (the "Data"
 * line range: response first, then the predictors as written, before any polynomial expansion).
 *
 * @param name the dataset name, e.g. {@code Longley}
 * @param coefficients certified estimates B0, B1, … (B0 is the intercept when the model has one)
 * @param standardDeviations certified standard deviations of the estimates
 * @param y the response, one value per observation
 * @param x the predictors as written in the file, {@code x[i][j]} for observation i, column j
 */
public record NistStrd(
    String name, double[] coefficients, double[] standardDeviations, double[] y, double[][] x) {

  private static final Pattern RANGE =
      Pattern.compile("(Certified Values|Data)\\s*\\(lines\\s+(\\d+)\\s+to\\s+(\\d+)\\)");
  private static final Pattern PARAMETER = Pattern.compile("^\\s*B(\\d+)\\s+(\\S+)\\s+(\\S+)\\s*$");

  /** Reads {@code nist-strd-linear-regression/<name>.dat} from the shared datasets. */
  public static NistStrd load(String name) {
    Path file = TestPaths.dataset("nist-strd-linear-regression/" + name + ".dat");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int[] certified = null;
    int[] data = null;
    for (String line : lines.subList(0, Math.min(10, lines.size()))) {
      Matcher m = RANGE.matcher(line);
      if (m.find()) {
        int[] range = {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        if (m.group(1).startsWith("Certified")) {
          certified = range;
        } else {
          data = range;
        }
      }
    }
    if (certified == null || data == null) {
      throw new IllegalStateException("Cannot parse " + file + ": no line ranges in its header");
    }
    List<double[]> params = new ArrayList<>();
    for (String line : lines.subList(certified[0] - 1, certified[1])) {
      Matcher m = PARAMETER.matcher(line);
      if (m.matches()) {
        if (Integer.parseInt(m.group(1)) != params.size()) {
          throw new IllegalStateException("Cannot parse " + file + ": parameters out of order");
        }
        params.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
      }
    }
    List<double[]> rows = new ArrayList<>();
    for (String line : lines.subList(data[0] - 1, data[1])) {
      if (line.isBlank()) {
        continue;
      }
      String[] tokens = line.strip().split("\\s+");
      double[] row = new double[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        row[i] = Double.parseDouble(tokens[i]);
      }
      rows.add(row);
    }
    double[] y = new double[rows.size()];
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      double[] row = rows.get(i);
      y[i] = row[0];
      x[i] = java.util.Arrays.copyOfRange(row, 1, row.length);
    }
    return new NistStrd(
        name,
        params.stream().mapToDouble(p -> p[0]).toArray(),
        params.stream().mapToDouble(p -> p[1]).toArray(),
        y,
        x);
  }

  /** The number of observations. */
  public int size() {
    return y.length;
  }

  /**
   * The design of a polynomial model in the single predictor: columns {@code x, x², …, x^degree}
   * (the intercept B0 is not a column).
   */
  public double[][] polynomial(int degree) {
    double[][] out = new double[y.length][degree];
    for (int i = 0; i < y.length; i++) {
      double p = 1;
      for (int d = 0; d < degree; d++) {
        p *= x[i][0];
        out[i][d] = p;
      }
    }
    return out;
  }

  /**
   * The number of leading significant digits {@code estimate} shares with {@code certified}: the
   * "log relative error" of McCullough (1998), {@code -log10(|est - cert| / |cert|)}, capped at 15
   * (and absolute when the certified value is 0).
   */
  public static double digits(double estimate, double certified) {
    double err =
        certified == 0 ? Math.abs(estimate) : Math.abs(estimate - certified) / Math.abs(certified);
    return err == 0 ? 15 : Math.min(15, -Math.log10(err));
  }
}
