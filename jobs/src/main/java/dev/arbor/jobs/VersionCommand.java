package dev.arbor.jobs;

import dev.arbor.ExitCode;
import dev.arbor.loss.kernel.LinearKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code arbor version} (and {@code arbor --version}): the Arbor version, the versions it was built
 * against, the Spark and Java versions it runs on and the training pass's linear kernel in this JVM
 * (Vector API or scalar, and why).
 */
@Command(name = "version", description = "Prints the Arbor, Spark and Java versions.")
final class VersionCommand implements Callable<Integer>, IVersionProvider {
  /** Versions recorded at build time (a filtered resource). */
  static final String BUILD_PROPERTIES = "dev/arbor/jobs/build.properties";

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }

  @Override
  public String[] getVersion() {
    Properties build = buildProperties();
    return new String[] {
      "arbor " + build.getProperty("arbor.version"),
      "built for Spark "
          + build.getProperty("spark.version")
          + " (Scala "
          + build.getProperty("scala.binary.version")
          + "), Iceberg "
          + build.getProperty("iceberg.version")
          + ", RAPIDS "
          + build.getProperty("rapids.version"),
      "running on Spark " + runtimeSparkVersion() + ", Java " + Runtime.version(),
      "linear kernel: " + LinearKernel.selection(),
    };
  }

  static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in =
        VersionCommand.class.getClassLoader().getResourceAsStream(BUILD_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("Cannot read build versions: missing " + BUILD_PROPERTIES);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** From the Spark jar's manifest; does not start Spark. */
  private static String runtimeSparkVersion() {
    try {
      Package spark = Class.forName("org.apache.spark.SparkContext").getPackage();
      String v = spark == null ? null : spark.getImplementationVersion();
      return v == null ? "(unknown version)" : v;
    } catch (ClassNotFoundException e) {
      return "(not on the classpath)";
    }
  }
}
