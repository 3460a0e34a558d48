package io.seqloss.testing;

import io.seqloss.input.arrow.ArrowCorpusWriter;
import io.seqloss.input.arrow.ArrowIpcFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes small test corpora as Parquet, with the canonical float/int types unless told otherwise.
 */
public final class Corpora {
  private Corpora() {}

  /** The worked example of docs/semantics.md: two sequences, V = 3, the second of length 2. */
  public static List<CorpusRow> workedExample() {
    return List.of(
        CorpusRow.of(
            "row0",
            new float[][] {{2, 1, 0}, {0, 0, 0}, {1, 3, 0}},
            new int[] {0, 1, 1},
            new float[] {1, 1, 0}),
        CorpusRow.of(
            "row1", new float[][] {{0, 1, 2}, {5, 0, 0}}, new int[] {2, 0}, new float[] {1, 2}));
  }

  public static StructType schema(boolean withId, DataType idType, boolean withWeights) {
    List<StructField> fields = new ArrayList<>();
    if (withId) {
      fields.add(DataTypes.createStructField("id", idType, true));
    }
    fields.add(
        DataTypes.createStructField(
            "logits",
            DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)),
            true));
    fields.add(
        DataTypes.createStructField(
            "targets", DataTypes.createArrayType(DataTypes.IntegerType), true));
    if (withWeights) {
      fields.add(
          DataTypes.createStructField(
              "weights", DataTypes.createArrayType(DataTypes.FloatType), true));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** Writes rows into {@code files} Parquet files under dir; returns dir. */
  public static Path write(SparkSession spark, Path dir, List<CorpusRow> rows, int files) {
    boolean withId = rows.get(0).id() != null;
    boolean withWeights = rows.stream().anyMatch(r -> r.weights() != null);
    DataType idType =
        withId && rows.get(0).id() instanceof Long ? DataTypes.LongType : DataTypes.StringType;
    List<Row> out = new ArrayList<>();
    for (CorpusRow r : rows) {
      List<Object> values = new ArrayList<>();
      if (withId) {
        values.add(r.id());
      }
      values.add(r.logits() == null ? null : toNested(r.logits()));
      values.add(r.targets() == null ? null : boxed(r.targets()));
      if (withWeights) {
        values.add(r.weights() == null ? null : boxed(r.weights()));
      }
      out.add(RowFactory.create(values.toArray()));
    }
    StructType schema = schema(withId, idType, withWeights);
    // Split by row position into exactly `files` files, named in that order.
    Path corpus = dir.resolve("corpus");
    int per = (rows.size() + files - 1) / files;
    for (int f = 0; f < files; f++) {
      List<Row> part =
          out.subList(Math.min(f * per, out.size()), Math.min((f + 1) * per, out.size()));
      writeOneFile(spark, part, schema, corpus.resolve(String.format("part-%03d.parquet", f)));
    }
    return corpus;
  }

  /**
   * Writes rows into {@code files} Arrow IPC files under dir, split as {@link #write} splits them,
   * {@code rowsPerBatch} rows per record batch; returns the directory of the files.
   */
  public static Path writeArrow(
      Path dir, List<CorpusRow> rows, int files, ArrowIpcFormat format, int rowsPerBatch) {
    boolean withId = rows.get(0).id() != null;
    boolean withWeights = rows.stream().anyMatch(r -> r.weights() != null);
    ArrowCorpusWriter.IdType idType =
        !withId
            ? ArrowCorpusWriter.IdType.NONE
            : rows.get(0).id() instanceof Long
                ? ArrowCorpusWriter.IdType.LONG
                : ArrowCorpusWriter.IdType.STRING;
    Path corpus = dir.resolve("arrow-corpus");
    String extension = format == ArrowIpcFormat.FILE ? "feather" : "arrow";
    int per = (rows.size() + files - 1) / files;
    try {
      java.nio.file.Files.createDirectories(corpus);
      for (int f = 0; f < files; f++) {
        Path file = corpus.resolve(String.format("part-%03d.%s", f, extension));
        try (var out = java.nio.file.Files.newOutputStream(file);
            ArrowCorpusWriter writer =
                ArrowCorpusWriter.open(out, format, idType, withWeights, rowsPerBatch, null)) {
          for (CorpusRow r :
              rows.subList(Math.min(f * per, rows.size()), Math.min((f + 1) * per, rows.size()))) {
            writer.write(r.id(), r.logits(), r.targets(), r.weights());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return corpus;
  }

  /** Writes rows as exactly one Parquet file at {@code file}. */
  public static void writeOneFile(
      SparkSession spark, List<Row> rows, StructType schema, Path file) {
    Path scratch = file.resolveSibling("." + file.getFileName() + ".tmp");
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(scratch.toString());
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      try (var listing = java.nio.file.Files.list(scratch)) {
        Path part =
            listing
                .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                .findFirst()
                .orElseThrow();
        java.nio.file.Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      org.apache.commons.io.FileUtils.deleteDirectory(scratch.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static List<List<Float>> toNested(float[][] logits) {
    List<List<Float>> nested = new ArrayList<>();
    for (float[] step : logits) {
      nested.add(step == null ? null : boxed(step));
    }
    return nested;
  }

  public static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>();
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  public static List<Integer> boxed(int[] values) {
    List<Integer> list = new ArrayList<>();
    for (int v : values) {
      list.add(v);
    }
    return list;
  }
}
