package io.seqloss.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqloss.config.InputFormat;
import io.seqloss.input.FormatSources;
import io.seqloss.input.arrow.ArrowCorpusWriter;
import io.seqloss.input.arrow.ArrowIpcFormat;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.SchemedLocalFileSystem;
import io.seqloss.testing.SparkTestBase;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code generate --format arrow}: the same rows as the Parquet output, in readable Arrow IPC files
 * of the asked layout, and the same seqloss results bit for bit; its options and its commit.
 */
class ArrowGenerateTest extends SparkTestBase {
  /** 3 files (10, 10 and 5 sequences), lengths 2..6, 20% padding, string ids. */
  static final List<String> SPEC =
      List.of(
          "--sequences",
          "25",
          "--rows-per-file",
          "10",
          "--num-classes",
          "6",
          "--min-length",
          "2",
          "--max-length",
          "6",
          "--padding-share",
          "0.2",
          "--seed",
          "9");

  private CliRun generate(String dir, String... options) {
    return generate(session(), tmp.resolve(dir), options);
  }

  /** {@code generate --output DIR} of {@link #SPEC} with more options, in the given session. */
  static CliRun generate(SparkSession spark, Path dir, String... options) {
    List<String> args = new ArrayList<>(List.of("generate", "--output", dir.toString()));
    args.addAll(SPEC);
    args.addAll(List.of(options));
    return CliRun.of(spark, args.toArray(String[]::new));
  }

  private static JsonNode json(String line) throws Exception {
    return new ObjectMapper().readTree(line);
  }

  @Test
  void theArrowFilesHoldTheParquetRowsInTheAskedLayout() throws Exception {
    CliRun parquet = generate("parquet", "--compression", "uncompressed");
    CliRun stream = generate("stream", "--format", "arrow", "--rows-per-batch", "4");
    CliRun file = generate("file", "--format", "ARROW", "--arrow-ipc", "file");
    for (CliRun run : List.of(parquet, stream, file)) {
      assertEquals(0, run.exitCode(), run.stderr());
    }
    JsonNode line = json(stream.lastStdoutLine());
    assertEquals("arrow", line.get("format").asText());
    assertEquals("stream", line.get("arrow_ipc").asText());
    assertEquals(4, line.get("rows_per_batch").asInt());
    assertEquals(3, line.get("files").asInt());
    assertEquals("uncompressed", line.get("compression").asText());
    assertEquals("parquet", json(parquet.lastStdoutLine()).get("format").asText());
    assertEquals(
        4096, json(file.lastStdoutLine()).get("rows_per_batch").asInt()); // narrow rows: capped

    assertEquals(
        List.of("_SUCCESS", "part-00000.arrow", "part-00001.arrow", "part-00002.arrow"),
        visibleFiles(tmp.resolve("stream")));
    assertEquals(
        List.of("_SUCCESS", "part-00000.feather", "part-00001.feather", "part-00002.feather"),
        visibleFiles(tmp.resolve("file")));
    // Rows per record batch as asked, and each file in its IPC format.
    assertEquals(
        List.of(4, 4, 2), batchRows(tmp.resolve("stream/part-00000.arrow"), ArrowIpcFormat.STREAM));
    assertEquals(
        List.of(5), batchRows(tmp.resolve("file/part-00002.feather"), ArrowIpcFormat.FILE));

    List<Row> expected = rows(InputFormat.PARQUET, "parquet");
    assertEquals(25, expected.size());
    assertEquals(expected, rows(InputFormat.ARROW, "stream"));
    assertEquals(expected, rows(InputFormat.ARROW, "file"));
    assertEquals(
        List.of("id", "logits", "targets", "weights"),
        List.of(
            FormatSources.open(
                    session(), InputFormat.ARROW, List.of(tmp.resolve("stream").toString()))
                .schema()
                .fieldNames()));
    assertEquals(
        ArrowCorpusWriter.schema(ArrowCorpusWriter.IdType.STRING, true, null),
        arrowSchema(tmp.resolve("file/part-00000.feather")));
  }

  @Test
  void seqlossGivesBitIdenticalResultsOnTheParquetAndArrowCorpora() throws Exception {
    assertEquals(0, generate("parquet").exitCode()); // snappy: the codec must not matter either
    assertEquals(0, generate("stream", "--format", "arrow", "--rows-per-batch", "3").exitCode());
    assertEquals(0, generate("file", "--format", "arrow", "--arrow-ipc", "file").exitCode());
    for (List<String> reduction :
        List.of(List.<String>of(), List.of("--average-across-batch", "false"))) {
      Evaluated expected = evaluate("parquet", reduction);
      assertEquals(25, expected.summary().get("sequences").asInt());
      assertEquals(expected, evaluate("stream", reduction)); // detected from the .arrow names
      assertEquals(expected, evaluate("file", reduction, "--format", "arrow"));
    }
  }

  /** The summary's numbers (not the run's paths, times or file names) and the per-sequence rows. */
  record Evaluated(JsonNode summary, List<Row> perSequence) {}

  private Evaluated evaluate(String corpus, List<String> reduction, String... options)
      throws Exception {
    String out = tmp.resolve("out-" + corpus + "-" + reduction.size()).toString();
    List<String> args =
        new ArrayList<>(List.of("--input", tmp.resolve(corpus).toString(), "--output", out));
    args.addAll(reduction);
    args.addAll(List.of(options));
    CliRun run = CliRun.of(session(), args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    ObjectNode summary = (ObjectNode) json(run.lastStdoutLine());
    summary.remove(List.of("input_paths", "output_dir", "elapsed_seconds", "num_classes_source"));
    Path perSequence = Path.of(out, "per_sequence");
    List<Row> rows =
        Files.isDirectory(perSequence)
            ? session().read().parquet(perSequence.toString()).orderBy("id").collectAsList()
            : List.of();
    assertEquals(reduction.isEmpty(), rows.isEmpty(), "per_sequence output of " + args);
    return new Evaluated(summary, rows);
  }

  @Test
  void optionsOfTheOtherFormatAndBadValuesAreUsageErrors() {
    assertUsageError(
        "--compression snappy applies to Parquet only",
        "--format",
        "arrow",
        "--compression",
        "snappy");
    assertUsageError(
        "--row-group-mb 64 does not apply to --format arrow",
        "--format",
        "arrow",
        "--row-group-mb",
        "64");
    assertUsageError(
        "--page-check-rows 100 does not apply", "--format", "arrow", "--page-check-rows", "100");
    assertUsageError("--arrow-ipc file does not apply to --format parquet", "--arrow-ipc", "file");
    assertUsageError(
        "--rows-per-batch 8 does not apply to --format parquet", "--rows-per-batch", "8");
    assertUsageError(
        "Invalid value for option '--format': expected one of [PARQUET, ARROW] (case-insensitive) "
            + "but was 'orc'",
        "--format",
        "orc");
    assertUsageError(
        "--rows-per-batch must be at least 1, got 0", "--format", "arrow", "--rows-per-batch", "0");
    assertUsageError("--arrow-ipc", "--format", "arrow", "--arrow-ipc", "feather");
    assertFalse(Files.exists(tmp.resolve("bad")));
  }

  private void assertUsageError(String message, String... options) {
    CliRun run = generate("bad", options);
    assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(
        (run.stdout() + run.stderr()).contains(message),
        message + " not in: " + run.stdout() + run.stderr());
  }

  @Test
  void anExistingOutputIsReplacedOnlyWithOverwrite() throws Exception {
    assertEquals(0, generate("corpus", "--format", "arrow").exitCode());
    CliRun refused = generate("corpus", "--format", "arrow", "--id-type", "long");
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("pass --overwrite"), refused.stderr());
    assertEquals(4, visibleFiles(tmp.resolve("corpus")).size());

    CliRun replaced =
        CliRun.of(
            session(),
            "generate",
            "--output",
            tmp.resolve("corpus").toString(),
            "--overwrite",
            "--format",
            "arrow",
            "--sequences",
            "7",
            "--rows-per-file",
            "5");
    assertEquals(0, replaced.exitCode(), replaced.stderr());
    // nothing of the first corpus is left: part-00002 is gone, not merged with the new files
    assertEquals(
        List.of("_SUCCESS", "part-00000.arrow", "part-00001.arrow"),
        visibleFiles(tmp.resolve("corpus")));
    assertEquals(7, rows(InputFormat.ARROW, "corpus").size());
  }

  @Test
  void aFailedGenerateLeavesNoOutputDirectory() {
    try (var failing =
        SchemedLocalFileSystem.register(
            session().sparkContext().hadoopConfiguration(),
            FailingFileSystem.SCHEME,
            FailingFileSystem.class)) {
      String output = FailingFileSystem.SCHEME + "://" + tmp.resolve("failed").toAbsolutePath();
      CliRun run =
          CliRun.of(
              session(),
              Stream.concat(
                      Stream.of("generate", "--output", output, "--format", "arrow"), SPEC.stream())
                  .toArray(String[]::new));
      assertNotEquals(0, run.exitCode(), run.stdout());
      assertTrue(run.stderr().contains("no space left on device (test)"), run.stderr());
      assertFalse(
          Files.exists(tmp.resolve("failed")), "a failed generate left " + tmp.resolve("failed"));
    }
  }

  @Test
  void autoBatchesHoldAboutEightMegabytes() {
    assertEquals(1, ArrowLayout.autoRowsPerBatch(spec(64, 32000)));
    assertEquals(32, ArrowLayout.autoRowsPerBatch(spec(64, 1000)));
    assertEquals(4096, ArrowLayout.autoRowsPerBatch(spec(10, 2)));
  }

  private static SyntheticCorpusSpec spec(int length, int numClasses) {
    return new SyntheticCorpusSpec(
        10,
        length,
        length,
        numClasses,
        0,
        1,
        SyntheticCorpusSpec.IdType.NONE,
        10,
        "uncompressed",
        1 << 20,
        1);
  }

  private List<Row> rows(InputFormat format, String dir) {
    return FormatSources.open(session(), format, List.of(tmp.resolve(dir).toString()))
        .select("id", "logits", "targets", "weights")
        .orderBy("id")
        .collectAsList();
  }

  private static List<String> visibleFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  private static List<Integer> batchRows(Path file, ArrowIpcFormat format) throws Exception {
    List<Integer> rows = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        ArrowReader reader = reader(file, format, allocator)) {
      while (reader.loadNextBatch()) {
        rows.add(reader.getVectorSchemaRoot().getRowCount());
      }
    }
    return rows;
  }

  private static org.apache.arrow.vector.types.pojo.Schema arrowSchema(Path file) throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        ArrowReader reader = reader(file, ArrowIpcFormat.FILE, allocator)) {
      return reader.getVectorSchemaRoot().getSchema();
    }
  }

  private static ArrowReader reader(Path file, ArrowIpcFormat format, RootAllocator allocator)
      throws Exception {
    return format == ArrowIpcFormat.FILE
        ? new ArrowFileReader(FileChannel.open(file), allocator)
        : new ArrowStreamReader(Files.newInputStream(file), allocator);
  }
}
