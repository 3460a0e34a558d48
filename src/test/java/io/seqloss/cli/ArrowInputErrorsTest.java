package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.input.arrow.ArrowIpcFormat;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unreadable Arrow input fails as unreadable Parquet input does: exit 3, naming the file. */
class ArrowInputErrorsTest extends SparkTestBase {
  private static final List<CorpusRow> ROWS = RandomCorpus.rows(3L, 12, 5, 4, true);

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--output", tmp.resolve("out").toString()));
    return CliRun.of(session(), all.toArray(String[]::new));
  }

  private static Path truncate(Path file, long keep) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, (int) keep));
    return file;
  }

  private static void assertUnreadable(CliRun o, String fileName) {
    assertEquals(ExitCodes.INVALID_INPUT, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("seqloss: error: cannot read input file "), o.stderr());
    assertTrue(
        o.stderr()
            .contains(
                fileName + " (corrupt, truncated, or not Parquet/Arrow IPC of the corpus schema)"),
        o.stderr());
    assertTrue(o.stdout().contains("\"exit_code\":3"), o.stdout());
  }

  @Test
  void truncatedStreamFile() throws Exception {
    Path dir = Corpora.writeArrow(tmp, ROWS, 2, ArrowIpcFormat.STREAM, 3);
    Path file = dir.resolve("part-001.arrow");
    truncate(file, Files.size(file) * 3 / 5);
    CliRun o = run("--input", dir.toString());
    assertUnreadable(o, "part-001.arrow");
    assertTrue(o.stderr().contains("truncated"), o.stderr());
  }

  @Test
  void fileFormatWithoutItsFooter() throws Exception {
    Path dir = Corpora.writeArrow(tmp, ROWS, 1, ArrowIpcFormat.FILE, 3);
    Path file = dir.resolve("part-000.feather");
    truncate(file, Files.size(file) - 40);
    CliRun o = run("--input", file.toString());
    assertUnreadable(o, "part-000.feather");
    assertTrue(o.stderr().contains("no footer"), o.stderr());
  }

  @Test
  void notArrowAtAll() throws Exception {
    Path file = tmp.resolve("notes.arrow");
    Files.writeString(file, "this is not an Arrow IPC file, whatever its name says\n".repeat(20));
    assertUnreadable(run("--input", file.toString()), "notes.arrow");
  }

  @Test
  void corruptParquetGetsTheSameMessage() throws Exception {
    Path file = tmp.resolve("notes.parquet");
    Files.write(
        file, "this is not a Parquet file either\n".repeat(20).getBytes(StandardCharsets.UTF_8));
    assertUnreadable(run("--input", file.toString()), "notes.parquet");
  }

  @Test
  void invalidRowIsNamedAsInParquet() {
    List<CorpusRow> rows = new ArrayList<>(ROWS);
    rows.set(5, CorpusRow.of("bad", new float[][] {{1, 2, 3, 4}}, new int[] {9}, new float[] {1}));
    CliRun arrow =
        run("--input", Corpora.writeArrow(tmp, rows, 2, ArrowIpcFormat.STREAM, 4).toString());
    CliRun parquet = run("--input", Corpora.write(session(), tmp, rows, 2).toString());
    assertEquals(ExitCodes.INVALID_INPUT, arrow.exitCode(), arrow.stderr());
    assertTrue(
        arrow
            .stderr()
            .contains(
                "arrow-corpus/part-000.arrow, row 5 (id bad), column 'targets': step 0 has "
                    + "target 9; expected a class id in [0, 4)"),
        arrow.stderr());
    assertEquals(
        errorLine(parquet).replace("corpus/part-000.parquet", "X").replace("file:///", "file:/"),
        errorLine(arrow).replace("arrow-corpus/part-000.arrow", "X"));
  }

  private static String errorLine(CliRun o) {
    return o.stderr()
        .lines()
        .filter(l -> l.startsWith("seqloss: error:"))
        .findFirst()
        .orElse(o.stderr());
  }

  /**
   * A column type Spark's ArrowColumnVector cannot read (here unsigned targets) is named as such.
   */
  @Test
  void unreadableArrowTypeIsNamed() throws Exception {
    Path file = tmp.resolve("unsigned.arrow");
    var float32 =
        new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
            org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE);
    var list = org.apache.arrow.vector.types.pojo.ArrowType.List.INSTANCE;
    var schema =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(
                new org.apache.arrow.vector.types.pojo.Field(
                    "logits",
                    org.apache.arrow.vector.types.pojo.FieldType.nullable(list),
                    List.of(
                        new org.apache.arrow.vector.types.pojo.Field(
                            "item",
                            org.apache.arrow.vector.types.pojo.FieldType.nullable(list),
                            List.of(
                                org.apache.arrow.vector.types.pojo.Field.nullable(
                                    "item", float32))))),
                new org.apache.arrow.vector.types.pojo.Field(
                    "targets",
                    org.apache.arrow.vector.types.pojo.FieldType.nullable(list),
                    List.of(
                        org.apache.arrow.vector.types.pojo.Field.nullable(
                            "item",
                            new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, false))))));
    try (var allocator = new org.apache.arrow.memory.RootAllocator();
        var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema, allocator);
        var out = Files.newOutputStream(file);
        var writer = new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, null, out)) {
      writer.start();
      root.setRowCount(0);
      writer.writeBatch();
      writer.end();
    }
    CliRun o = run("--input", file.toString(), "--num-classes", "3");
    assertEquals(ExitCodes.INVALID_INPUT, o.exitCode(), o.stderr());
    assertTrue(
        o.stderr()
            .contains(
                "column 'targets' has type List<Int(32, false)> (Arrow), which seqloss cannot "
                    + "read"),
        o.stderr());
  }

  @Test
  void unknownFormatIsAUsageError() {
    CliRun o = run("--input", tmp.toString(), "--format", "csv");
    assertEquals(ExitCodes.USAGE, o.exitCode(), o.stderr());
    assertTrue(
        o.stderr()
            .contains(
                "Invalid value for option '--format': expected one of [PARQUET, ARROW] "
                    + "(case-insensitive) but was 'csv'"),
        o.stderr());
  }

  @Test
  void mixedFormatsAreRefused() {
    Path parquet = Corpora.write(session(), tmp, ROWS, 1);
    Path arrow = Corpora.writeArrow(tmp, ROWS, 1, ArrowIpcFormat.STREAM, 4);
    CliRun o = run("--input", parquet.toString(), arrow.toString());
    assertEquals(ExitCodes.USAGE, o.exitCode(), o.stderr());
    assertTrue(o.stderr().contains("mixes Parquet files"), o.stderr());
  }
}
