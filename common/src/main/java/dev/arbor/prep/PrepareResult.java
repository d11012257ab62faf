package dev.arbor.prep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@code prepare} run did: every input row is in exactly one split or in the rejects, so
 * {@code inputRows = trainRows + validationRows + testRowsFromInput + rejectedRows} and {@code
 * testInputRows = testRowsFromTestInput + testInputRejectedRows}. Written as {@code summary.json}
 * next to the outputs.
 *
 * @param runDate the run's logical date
 * @param outputDir the committed output folder
 * @param inputRows rows read from the input
 * @param trainRows rows in the train split
 * @param validationRows rows in the validation split
 * @param testRows rows in the test split (from the input, or from the test input when given)
 * @param rejectedRows input rows rejected
 * @param rejectsByReason input rows rejected, by reason code
 * @param testInputRows rows read from the separate test input (0 without one)
 * @param testInputRejectedRows test input rows rejected
 * @param testInputRejectsByReason test input rows rejected, by reason code
 * @param features number of feature columns
 * @param constantFeatures features constant on the training split (given scale 1)
 * @param seconds wall-clock duration of the run
 */
public record PrepareResult(
    LocalDate runDate,
    String outputDir,
    long inputRows,
    long trainRows,
    long validationRows,
    long testRows,
    long rejectedRows,
    Map<String, Long> rejectsByReason,
    long testInputRows,
    long testInputRejectedRows,
    Map<String, Long> testInputRejectsByReason,
    int features,
    List<String> constantFeatures,
    double seconds) {

  /** The summary file's name inside the output folder. */
  public static final String FILE_NAME = "summary.json";

  public PrepareResult {
    rejectsByReason = Map.copyOf(rejectsByReason);
    testInputRejectsByReason = Map.copyOf(testInputRejectsByReason);
    constantFeatures = List.copyOf(constantFeatures);
  }

  /** Whether a separate test input replaced the test fraction. */
  public boolean hasTestInput() {
    return testInputRows > 0;
  }

  /** One line for the console: the counts and the output folder. */
  public String summaryLine() {
    return String.format(
        "prepared %d input rows: train %d, validation %d, test %d, rejected %d%s%s -> %s",
        inputRows,
        trainRows,
        validationRows,
        testRows,
        rejectedRows,
        rejectsByReason.isEmpty() ? "" : " " + new TreeMap<>(rejectsByReason),
        hasTestInput()
            ? String.format(
                " (test input: %d rows, %d rejected)", testInputRows, testInputRejectedRows)
            : "",
        outputDir);
  }

  /** The result as JSON (the content of {@value #FILE_NAME}). */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode o = mapper.createObjectNode();
    o.put("run-date", runDate.toString());
    o.put("output-dir", outputDir);
    o.put("input-rows", inputRows);
    o.put("train-rows", trainRows);
    o.put("validation-rows", validationRows);
    o.put("test-rows", testRows);
    o.put("rejected-rows", rejectedRows);
    ObjectNode byReason = o.putObject("rejects-by-reason");
    new TreeMap<>(rejectsByReason).forEach(byReason::put);
    o.put("test-input-rows", testInputRows);
    o.put("test-input-rejected-rows", testInputRejectedRows);
    ObjectNode testByReason = o.putObject("test-input-rejects-by-reason");
    new TreeMap<>(testInputRejectsByReason).forEach(testByReason::put);
    o.put("features", features);
    constantFeatures.forEach(o.putArray("constant-features")::add);
    o.put("seconds", seconds);
    try {
      return mapper.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write prepare summary: " + e.getMessage(), e);
    }
  }
}
