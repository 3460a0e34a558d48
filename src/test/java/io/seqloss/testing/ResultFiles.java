package io.seqloss.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a run's output directory in forms that compare exactly: bit for bit, not within a
 * tolerance.
 */
public final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fields of summary.json that describe the run rather than the result. */
  private static final List<String> RUN_FIELDS = List.of("elapsed_seconds", "output_dir");

  private ResultFiles() {}

  public static ObjectNode summary(Path outputDir) {
    try {
      return (ObjectNode) JSON.readTree(outputDir.resolve("summary.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * summary.json without the fields that differ between runs of the same result (time, directory).
   */
  public static String summaryOfResult(Path outputDir) {
    ObjectNode summary = summary(outputDir);
    summary.remove(RUN_FIELDS);
    return summary.toString();
  }

  /**
   * The rows of a result directory (per_sequence/, per_timestep/, ...) as sorted lines, every
   * double written as its IEEE-754 bits, so equal lists mean bit-identical results whatever the
   * file layout.
   */
  public static List<String> rowsBitExact(SparkSession spark, Path resultDir) {
    return spark.read().parquet(resultDir.toString()).collectAsList().stream()
        .map(ResultFiles::bits)
        .sorted()
        .toList();
  }

  private static String bits(Row row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      line.append(i == 0 ? "" : " | ").append(bitsOf(row.get(i)));
    }
    return line.toString();
  }

  private static String bitsOf(Object value) {
    if (value instanceof Double d) {
      return Long.toHexString(Double.doubleToRawLongBits(d));
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      StringBuilder list = new StringBuilder("[");
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        list.append(bitsOf(it.next())).append(it.hasNext() ? "," : "");
      }
      return list.append(']').toString();
    }
    return String.valueOf(value);
  }

  /**
   * Every file under dir (hidden ones too) with a digest of its bytes: equal maps mean untouched.
   */
  public static Map<String, String> tree(Path dir) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The hidden staging and previous-output directories seqloss leaves beside an output, if any. */
  public static List<String> leftoversBeside(Path outputDir) {
    String prefix = "." + outputDir.getFileName() + ".seqloss-";
    try (Stream<Path> siblings = Files.list(outputDir.getParent())) {
      return siblings
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
