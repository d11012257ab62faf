package dev.arbor.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class or method that reads {@code ../shared/datasets} (through {@link
 * TestPaths#dataset}). When the folder is absent it is skipped (disabled, before any of its set-up
 * runs) with one line naming the folder, printed once per test JVM to the console; when the
 * environment variable {@code CI} is {@code true} it runs anyway and fails on the missing folder,
 * so that CI never skips it silently.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SharedDatasets.Condition.class)
public @interface SharedDatasets {

  /** The condition behind the annotation. */
  final class Condition implements ExecutionCondition {
    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Path root = TestPaths.datasetsDir();
      if (Files.isDirectory(root)) {
        return ConditionEvaluationResult.enabled("shared datasets at " + root);
      }
      if (TestPaths.onCi()) {
        return ConditionEvaluationResult.enabled("CI=true: runs, and fails on the missing " + root);
      }
      String reason = TestPaths.missingDatasetsMessage(root);
      if (PRINTED.compareAndSet(false, true)) {
        // The test JVM's own stderr: surefire sends test output to a file, this reaches the
        // console.
        @SuppressWarnings("resource")
        PrintStream err =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println("Skipping the tests that need the shared datasets: " + reason);
      }
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
