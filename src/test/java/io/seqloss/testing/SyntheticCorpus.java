package io.seqloss.testing;

import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A deterministic corpus of many files and enough work for many tasks, made quickly: Spark SQL
 * expressions write {@code distinctFiles} files, and each is then copied {@code copies} times. It
 * has no id column, so every row's id is its own file and row ({@code <file>#<row>}), unique across
 * copies. Rows have lengths 1..maxSteps, weights 0 to 3 (so the two averages differ from plain
 * means) and logits from a small set of values, which Parquet dictionary-encodes: the files stay
 * small, the work does not.
 */
public record SyntheticCorpus(
    long rowsPerFile, int distinctFiles, int copies, int maxSteps, int numClasses) {

  public long rows() {
    return rowsPerFile * distinctFiles * copies;
  }

  public int files() {
    return distinctFiles * copies;
  }

  /** Writes the corpus's files into dir (which must not exist); returns dir. */
  public Path write(SparkSession spark, Path dir) {
    Path distinct = dir.resolveSibling(dir.getFileName() + ".distinct");
    writeDistinct(spark, distinct);
    try (Stream<Path> listing = Files.list(distinct)) {
      Files.createDirectories(dir);
      for (Path file :
          listing.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        for (int c = 0; c < copies; c++) {
          Files.copy(file, dir.resolve(String.format("copy-%02d-%s", c, file.getFileName())));
        }
      }
      FileUtils.deleteDirectory(distinct.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private void writeDistinct(SparkSession spark, Path dir) {
    long rows = rowsPerFile * distinctFiles;
    int files = distinctFiles;
    String steps = String.format("sequence(0, cast(id %% %d as int))", maxSteps);
    spark
        .range(0, rows, 1, files)
        .select(
            expr(String.format(
                    "transform(%s, t -> transform(sequence(0, %d), v -> "
                        + "cast(((id * 7919 + t * 104729 + v * 1299709) %% 1000) / 100.0 - 5.0 as float)))",
                    steps, numClasses - 1))
                .as("logits"),
            expr(String.format(
                    "transform(%s, t -> cast((id * 3 + t * 5) %% %d as int))", steps, numClasses))
                .as("targets"),
            expr(String.format("transform(%s, t -> cast((id + t) %% 4 as float))", steps))
                .as("weights"))
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(dir.toString());
  }
}
