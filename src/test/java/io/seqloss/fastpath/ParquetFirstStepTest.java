package io.seqloss.fastpath;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.try_element_at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqloss.input.UnsupportedLayout;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark-4-line")
class ParquetFirstStepTest extends SparkTestBase {
  private static final Configuration CONF = new Configuration();

  @Test
  void skipsRowsWithoutANonEmptyFirstStepAsTheSparkQueryDoes() throws Exception {
    List<Row> rows =
        List.of(
            row(null), // null logits
            row(List.of()), // no steps
            row(Arrays.asList((List<Float>) null, List.of(1f, 2f))), // first step null
            row(List.of(List.of(), List.of(1f, 2f))), // first step empty
            row(List.of(Arrays.asList(null, 1f, 2f), List.of(1f))), // a null value counts: 3
            row(List.of(List.of(1f, 2f, 3f, 4f))));
    Path file = write("mixed.parquet", rows, DataTypes.FloatType);
    assertEquals(OptionalInt.of(3), ParquetFirstStep.length(file.toString(), "logits", CONF));
    assertEquals(3, sparkQuery(file));
  }

  @Test
  void aFileWithoutAnyNonEmptyFirstStepHasNoLength() throws Exception {
    Path file =
        write(
            "none.parquet",
            List.of(row(null), row(List.of()), row(List.of(List.of()))),
            DataTypes.FloatType);
    assertEquals(OptionalInt.empty(), ParquetFirstStep.length(file.toString(), "logits", CONF));
  }

  @Test
  void agreesWithTheSparkQueryOnRandomShapesAndBothValueTypes() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int trial = 0; trial < 6; trial++) {
      List<Row> rows = new ArrayList<>();
      int leadingEmpty = random.nextInt(4);
      for (int r = 0; r < leadingEmpty; r++) {
        rows.add(row(random.nextBoolean() ? null : List.of()));
      }
      for (int r = 0; r < 20; r++) {
        List<List<Float>> steps = new ArrayList<>();
        int v = 1 + random.nextInt(50);
        for (int t = 0; t < 1 + random.nextInt(5); t++) {
          List<Float> step = new ArrayList<>();
          for (int c = 0; c < v; c++) {
            step.add((float) random.nextDouble());
          }
          steps.add(step);
        }
        rows.add(row(steps));
      }
      DataType type = trial % 2 == 0 ? DataTypes.FloatType : DataTypes.DoubleType;
      Path file =
          write("random-" + trial + ".parquet", trial % 2 == 0 ? rows : asDoubles(rows), type);
      assertEquals(
          OptionalInt.of(sparkQuery(file)),
          ParquetFirstStep.length(file.toString(), "logits", CONF));
    }
  }

  @Test
  void legacyListLayoutIsReadToo() throws Exception {
    session().conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    try {
      Path file =
          write(
              "legacy.parquet",
              List.of(row(List.of()), row(List.of(List.of(1f, 2f)))),
              DataTypes.FloatType);
      assertEquals(OptionalInt.of(2), ParquetFirstStep.length(file.toString(), "logits", CONF));
    } finally {
      session().conf().unset("spark.sql.parquet.writeLegacyFormat");
    }
  }

  @Test
  void pagesOfOneRowAndDataPagesV2AndEveryCodecGiveTheSameLength() throws Exception {
    // One row per page: the first page (an empty first row) cannot tell, so row groups are read
    // too.
    List<Row> rows =
        List.of(
            row(List.of()),
            row(List.of(List.of())),
            row(List.of(List.of(1f, 2f, 3f))),
            row(List.of(List.of(1f))));
    for (String writerVersion : List.of("v1", "v2")) {
      for (String codec : List.of("uncompressed", "snappy", "gzip", "zstd")) {
        for (String rowsPerPage : List.of("1", "20000")) {
          Path dir = tmp.resolve(writerVersion + "-" + codec + "-" + rowsPerPage);
          session()
              .createDataFrame(
                  rows,
                  new StructType()
                      .add(
                          "logits",
                          DataTypes.createArrayType(
                              DataTypes.createArrayType(DataTypes.FloatType))))
              .coalesce(1)
              .write()
              .option("compression", codec)
              .option("parquet.writer.version", writerVersion)
              .option("parquet.page.row.count.limit", rowsPerPage)
              .option("parquet.page.size.row.check.min", "1")
              .parquet(dir.toString());
          String file;
          try (var listing = java.nio.file.Files.list(dir)) {
            file =
                listing
                    .filter(f -> f.toString().endsWith(".parquet"))
                    .findFirst()
                    .orElseThrow()
                    .toString();
          }
          assertEquals(
              OptionalInt.of(3), ParquetFirstStep.length(file, "logits", CONF), dir.toString());
        }
      }
    }
  }

  @Test
  void aColumnThatIsNotAListOfListsIsLeftToSpark() {
    StructType schema =
        new StructType().add("logits", DataTypes.createArrayType(DataTypes.FloatType));
    Path file = tmp.resolve("flat.parquet");
    Corpora.writeOneFile(session(), List.of(RowFactory.create(List.of(1f, 2f))), schema, file);
    assertThrows(
        UnsupportedLayout.class, () -> ParquetFirstStep.length(file.toString(), "logits", CONF));
    assertThrows(
        UnsupportedLayout.class, () -> ParquetFirstStep.length(file.toString(), "scores", CONF));
  }

  private static Row row(List<List<Float>> logits) {
    return RowFactory.create(logits);
  }

  private static List<Row> asDoubles(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      @SuppressWarnings("unchecked")
      List<List<Float>> steps = (List<List<Float>>) r.get(0);
      out.add(
          RowFactory.create(
              steps == null
                  ? null
                  : steps.stream()
                      .map(
                          s ->
                              s == null
                                  ? null
                                  : s.stream().map(f -> f == null ? null : (double) f).toList())
                      .toList()));
    }
    return out;
  }

  private Path write(String name, List<Row> rows, DataType valueType) {
    StructType schema =
        new StructType()
            .add("logits", DataTypes.createArrayType(DataTypes.createArrayType(valueType)));
    Path file = tmp.resolve(name);
    Corpora.writeOneFile(session(), rows, schema, file);
    return file;
  }

  private int sparkQuery(Path file) {
    return session()
        .read()
        .parquet(file.toString())
        .select(size(try_element_at(col("logits"), lit(1))).as("v"))
        .where(col("v").geq(1))
        .limit(1)
        .collectAsList()
        .get(0)
        .getInt(0);
  }
}
