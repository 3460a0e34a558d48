package io.seqloss.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The {@value #NAME} file that marks a directory as a seqloss output: which version and run wrote
 * it, when, and the entries the run wrote there. Only what it lists may be replaced; anything else
 * in the directory was put there by someone else.
 */
public record OutputMarker(
    String seqlossVersion, String runId, long createdAtMillis, List<String> entries) {
  public static final String NAME = "_SEQLOSS";
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              false); // later versions may add fields

  public OutputMarker {
    entries = List.copyOf(entries);
  }

  void writeTo(FileSystem fs, Path dir) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, NAME), false)) {
      MAPPER.writeValue(out, this);
    }
  }

  static OutputMarker readFrom(FileSystem fs, Path dir) throws IOException {
    try (InputStream in = fs.open(new Path(dir, NAME))) {
      return MAPPER.readValue(in, OutputMarker.class);
    }
  }
}
