package dev.arbor.model;

/**
 * Reads and writes the {@code model.json} of one model family. {@link ModelStore} holds one codec
 * per family and picks it by the file's {@code family} field. Implementations are stateless and
 * thread-safe.
 *
 * @param <M> the family's model type
 */
public interface ModelCodec<M extends Model> {
  /** The family this codec reads, as {@link Model#family()}. */
  String family();

  /** The model type this codec writes. */
  Class<M> type();

  /**
   * Parses a {@code model.json} of this family.
   *
   * @param source where the bytes came from, for error messages
   * @throws IllegalArgumentException when the document is not a valid model of this family
   */
  M fromJson(byte[] json, String source);

  /** The model as {@code model.json} bytes, including {@code "family"}. */
  byte[] toJson(M model);
}
