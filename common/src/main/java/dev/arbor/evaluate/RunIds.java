package dev.arbor.evaluate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * The run id written to every evaluation table: {@code r-} and the first 16 hex digits of the
 * SHA-256 of (model, run date, configuration JSON, data fingerprint). Deterministic on purpose: a
 * retry or a re-run of the same date with the same configuration and data writes the same id, so
 * the tables end up identical (idempotent re-runs); a changed configuration or changed data gives a
 * new id.
 */
public final class RunIds {
  private RunIds() {}

  /**
   * The run id.
   *
   * @param configJson the resolved configuration as canonical JSON
   * @param dataFingerprint the fingerprint of the training data (empty when unknown)
   */
  public static String of(
      String model, LocalDate runDate, String configJson, String dataFingerprint) {
    String text =
        String.join(
            "\n",
            model,
            runDate.toString(),
            configJson == null ? "" : configJson,
            dataFingerprint == null ? "" : dataFingerprint);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "r-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
