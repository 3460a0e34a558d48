package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.cli.ExitCodes;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gives exit code 3 and a message naming the file, the row (or id), the
 * column, what was found and what was expected; and no summary.json is left behind.
 */
class BadInputTest extends SparkTestBase {

  private static final StructType SCHEMA = Corpora.schema(true, DataTypes.StringType, true);

  private static List<Float> f(float... v) {
    return Corpora.boxed(v);
  }

  private static Row good(String id) {
    return RowFactory.create(id, List.of(f(1, 2, 3), f(0, 0, 1)), List.of(0, 2), f(1, 1));
  }

  /** Writes a good row, then the bad one (row index 1 of the file), then another good row. */
  private Path corpusWith(Row bad, StructType schema) {
    Path file = tmp.resolve("corpus").resolve("data.parquet");
    List<Row> rows = schema == SCHEMA ? List.of(good("a"), bad, good("c")) : List.of(bad);
    Corpora.writeOneFile(session(), rows, schema, file);
    return file;
  }

  private CliRun run(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("--input", input.toString(), "--output", tmp.resolve("out").toString()));
    args.addAll(Arrays.asList(extra));
    return CliRun.of(session(), args.toArray(String[]::new));
  }

  private void assertInvalid(CliRun run, String... fragments) {
    assertEquals(ExitCodes.INVALID_INPUT, run.exitCode(), run.stderr());
    for (String fragment : fragments) {
      assertTrue(
          run.stderr().contains(fragment), () -> "missing '" + fragment + "' in: " + run.stderr());
    }
    assertTrue(run.lastStdoutLine().contains("\"status\":\"failed\""), run.stdout());
    assertFalse(
        Files.exists(tmp.resolve("out").resolve("summary.json")), "a failed run left summary.json");
  }

  private void assertRowError(Row bad, String column, String... details) {
    CliRun run = run(corpusWith(bad, SCHEMA));
    List<String> all =
        new ArrayList<>(List.of("data.parquet, row 1 (id b), column '" + column + "'"));
    all.addAll(Arrays.asList(details));
    assertInvalid(run, all.toArray(String[]::new));
  }

  @Test
  void missingColumn() {
    StructType noTargets =
        new StructType()
            .add("id", DataTypes.StringType)
            .add(
                "logits",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    Path file = corpusWith(RowFactory.create("b", List.of(f(1, 2, 3))), noTargets);
    assertInvalid(
        run(file),
        "data.parquet",
        "missing column 'targets'",
        "expected array<int> or array<bigint>");
  }

  @Test
  void wrongColumnType() {
    StructType doubleTargets =
        new StructType()
            .add("id", DataTypes.StringType)
            .add(
                "logits", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
            .add("targets", DataTypes.createArrayType(DataTypes.DoubleType));
    Path file =
        corpusWith(RowFactory.create("b", List.of(f(1, 2, 3)), List.of(1.0)), doubleTargets);
    assertInvalid(
        run(file),
        "data.parquet",
        "column 'targets' has type array<double>",
        "expected array<int> or array<bigint>");
  }

  @Test
  void nullArrays() {
    assertRowError(RowFactory.create("b", null, List.of(0), f(1)), "logits", "is null");
    assertRowError(RowFactory.create("b", List.of(f(1, 2, 3)), null, f(1)), "targets", "is null");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(0), null), "weights", "is null");
  }

  @Test
  void nullElements() {
    assertRowError(
        RowFactory.create("b", Arrays.asList(f(1, 2, 3), null), List.of(0, 1), f(1, 1)),
        "logits",
        "step 1 is null");
    assertRowError(
        RowFactory.create("b", List.of(Arrays.asList(1f, null, 3f)), List.of(0), f(1)),
        "logits",
        "step 0, class 1 is null");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3), f(1, 2, 3)), Arrays.asList(0, null), f(1, 1)),
        "targets",
        "step 1 is null");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(0), Arrays.asList((Float) null)),
        "weights",
        "step 0 is null");
  }

  @Test
  void lengthsDiffer() {
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3), f(1, 2, 3)), List.of(0), f(1, 1)),
        "targets",
        "has length 1 but logits has length 2");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(0), f(1, 1)),
        "weights",
        "has length 2 but logits has length 1");
  }

  @Test
  void innerLengthDiffersFromV() {
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3), f(1, 2)), List.of(0, 1), f(1, 1)),
        "logits",
        "step 1 has 2 logits; expected V=3",
        "first row of");
  }

  @Test
  void targetOutOfRange() {
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(3), f(1)),
        "targets",
        "step 0 has target 3; expected a class id in [0, 3)");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(-1), f(1)),
        "targets",
        "target -1; expected a class id in [0, 3)");
  }

  @Test
  void nonFiniteValues() {
    assertRowError(
        RowFactory.create("b", List.of(f(1, Float.NaN, 3)), List.of(0), f(1)),
        "logits",
        "step 0, class 1 is NaN; expected a finite logit");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, Float.NEGATIVE_INFINITY)), List.of(0), f(1)),
        "logits",
        "class 2 is -Infinity");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(0), f(Float.POSITIVE_INFINITY)),
        "weights",
        "step 0 has weight Infinity; expected a finite number");
    assertRowError(
        RowFactory.create("b", List.of(f(1, 2, 3)), List.of(0), f(Float.NaN)),
        "weights",
        "weight NaN");
  }

  @Test
  void missingAndEmptyPaths() throws IOException {
    assertInvalid(run(tmp.resolve("nowhere")), "input path", "nowhere does not exist");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.createFile(empty.resolve("_SUCCESS"));
    assertInvalid(run(empty), "empty holds no data files");
  }

  @Test
  void truncatedParquetFile() throws IOException {
    Path dir = tmp.resolve("corpus");
    Corpora.writeOneFile(session(), List.of(good("a")), SCHEMA, dir.resolve("a-good.parquet"));
    Corpora.writeOneFile(
        session(), List.of(good("b"), good("c")), SCHEMA, dir.resolve("b-truncated.parquet"));
    Path truncated = dir.resolve("b-truncated.parquet");
    try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }
    assertInvalid(run(dir, "--num-classes", "3"), "b-truncated.parquet");
  }

  @Test
  void garbageFileIsNotParquet() throws IOException {
    Path dir = tmp.resolve("corpus");
    Corpora.writeOneFile(session(), List.of(good("a")), SCHEMA, dir.resolve("a-good.parquet"));
    Files.writeString(
        dir.resolve("b-garbage.parquet"), "this is not parquet at all, just some text");
    assertInvalid(run(dir, "--num-classes", "3"), "b-garbage.parquet");
  }
}
