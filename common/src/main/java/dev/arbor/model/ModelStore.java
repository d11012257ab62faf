package dev.arbor.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.arbor.store.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where models live and how they are written: {@code
 * <output.root>/models/<model.name>/run_date=<YYYY-MM-DD>/model.json}, one JSON document written
 * atomically ({@link AtomicFiles}); a re-run for the same date replaces it. Doubles are written in
 * their shortest round-tripping form, so a model reads back bit for bit.
 *
 * <p>Every family of {@link Model} has a {@link ModelCodec}; {@link #read} picks it by the file's
 * {@code family} field (absent: {@value Model#LINEAR}, so files written before families existed
 * still read). A new family adds its codec to {@link #CODECS}.
 */
public final class ModelStore {
  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

  /** The model file's name inside its run-date folder. */
  public static final String FILE = RunLayout.MODEL_FILE;

  /**
   * The mapper of {@code model.json} files: indented, unknown fields ignored, {@link LocalDate} as
   * {@code YYYY-MM-DD}. Families may use it for their own codecs.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(
              new SimpleModule("arbor-dates")
                  .addSerializer(LocalDate.class, new DateSerializer())
                  .addDeserializer(LocalDate.class, new DateDeserializer()));

  /** The codec of each family, by {@link Model#family()}. */
  private static final Map<String, ModelCodec<?>> CODECS =
      codecs(new LinearCodec(), new NetworkCodec());

  private ModelStore() {}

  /** {@code <outputRoot>/models/<modelName>/run_date=<runDate>/model.json} ({@link RunLayout}). */
  public static String modelPath(String outputRoot, String modelName, LocalDate runDate) {
    return new RunLayout(outputRoot, modelName, runDate).modelFile();
  }

  /** The model as JSON bytes, by its family's codec. */
  public static byte[] toJson(Model model) {
    return encode(codec(model.family(), model.name()), model);
  }

  private static <M extends Model> byte[] encode(ModelCodec<M> codec, Model model) {
    return codec.toJson(codec.type().cast(model));
  }

  /**
   * Parses what {@link #toJson} wrote, with the codec of its {@code family}.
   *
   * @throws IllegalArgumentException when the document is not a model of a known family
   */
  public static Model fromJson(byte[] json, String source) {
    String family;
    try {
      JsonNode node = MAPPER.readTree(json).path("family");
      family = node.isMissingNode() || node.isNull() ? Model.LINEAR : node.asText();
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read model " + source + ": " + e.getMessage(), e);
    }
    return codec(family, source).fromJson(json, source);
  }

  private static ModelCodec<?> codec(String family, String what) {
    ModelCodec<?> c = CODECS.get(family);
    if (c == null) {
      throw new IllegalArgumentException(
          "Cannot read model "
              + what
              + ": unknown family '"
              + family
              + "' (expected one of "
              + CODECS.keySet()
              + ")");
    }
    return c;
  }

  /**
   * Writes {@code model} atomically to its path under {@code outputRoot}.
   *
   * @return the path written
   */
  public static String write(Model model, String outputRoot, Configuration conf) {
    String path = modelPath(outputRoot, model.name(), model.runDate());
    AtomicFiles.write(path, toJson(model), conf);
    LOG.info("Wrote model {} for {} to {}", model.name(), model.runDate(), path);
    return path;
  }

  /**
   * Reads a model file (any Hadoop path) of any family.
   *
   * @throws IllegalArgumentException when the file is not a model of a known family
   */
  public static Model read(String path, Configuration conf) {
    return fromJson(AtomicFiles.read(path, conf), path);
  }

  /**
   * Reads a model file that must be of the family of {@code type}.
   *
   * @throws IllegalArgumentException when the file is not a model of that family
   */
  public static <M extends Model> M read(String path, Configuration conf, Class<M> type) {
    Model m = read(path, conf);
    if (!type.isInstance(m)) {
      throw new IllegalArgumentException(
          "Cannot read model "
              + path
              + ": it is a "
              + m.family()
              + " model (expected "
              + type.getSimpleName()
              + ")");
    }
    return type.cast(m);
  }

  /**
   * The most recent model of {@code modelName} with a run date strictly before {@code runDate}
   * (what nightly warm starts from).
   */
  public static Optional<String> latestBefore(
      String outputRoot, String modelName, LocalDate runDate, Configuration conf) {
    Path root = new Path(RunLayout.modelRoot(outputRoot, modelName));
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        return Optional.empty();
      }
      LocalDate best = null;
      for (FileStatus s : fs.listStatus(root)) {
        Optional<LocalDate> date = RunLayout.runDateOf(s.getPath().getName());
        if (!s.isDirectory() || date.isEmpty()) {
          continue;
        }
        LocalDate d = date.get();
        if (d.isBefore(runDate)
            && (best == null || d.isAfter(best))
            && fs.exists(new Path(s.getPath(), FILE))) {
          best = d;
        }
      }
      return best == null ? Optional.empty() : Optional.of(modelPath(outputRoot, modelName, best));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list models under " + root + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, ModelCodec<?>> codecs(ModelCodec<?>... all) {
    Map<String, ModelCodec<?>> out = new LinkedHashMap<>();
    for (ModelCodec<?> c : all) {
      out.put(c.family(), c);
    }
    return java.util.Collections.unmodifiableMap(out); // in registration order, for messages
  }

  /** The {@value Model#LINEAR} family: the {@link LinearModel} record as it stands. */
  private static final class LinearCodec implements ModelCodec<LinearModel> {
    @Override
    public String family() {
      return Model.LINEAR;
    }

    @Override
    public Class<LinearModel> type() {
      return LinearModel.class;
    }

    @Override
    public LinearModel fromJson(byte[] json, String source) {
      try {
        return MAPPER.readValue(json, LinearModel.class);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read model " + source + ": " + e.getMessage(), e);
      }
    }

    @Override
    public byte[] toJson(LinearModel model) {
      try {
        return MAPPER.writeValueAsBytes(model);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serialize model " + model.name() + ": " + e, e);
      }
    }
  }

  /** The {@value NetworkModel#FAMILY} family: the {@link NetworkModel} record. */
  private static final class NetworkCodec implements ModelCodec<NetworkModel> {
    @Override
    public String family() {
      return NetworkModel.FAMILY;
    }

    @Override
    public Class<NetworkModel> type() {
      return NetworkModel.class;
    }

    @Override
    public NetworkModel fromJson(byte[] json, String source) {
      try {
        return MAPPER.readValue(json, NetworkModel.class);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "Cannot read model " + source + ": " + e.getMessage(), e);
      }
    }

    @Override
    public byte[] toJson(NetworkModel model) {
      try {
        return MAPPER.writeValueAsBytes(model);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serialize model " + model.name() + ": " + e, e);
      }
    }
  }

  private static final class DateSerializer extends JsonSerializer<LocalDate> {
    @Override
    public void serialize(LocalDate value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class DateDeserializer extends JsonDeserializer<LocalDate> {
    @Override
    public LocalDate deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      try {
        return LocalDate.parse(text);
      } catch (DateTimeException e) {
        throw ctx.weirdStringException(text, LocalDate.class, "expected YYYY-MM-DD");
      }
    }
  }
}
