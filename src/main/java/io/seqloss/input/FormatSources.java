package io.seqloss.input;

import io.seqloss.config.InputFormat;
import io.seqloss.input.arrow.ArrowSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Opens a corpus in its format. Both give the same columns, including {@code _metadata.file_path}
 * and {@code _metadata.row_index}, so everything downstream of {@link #open} is format-agnostic.
 */
public final class FormatSources {
  private FormatSources() {}

  /** Reads the given files, directories or globs, without projecting anything. */
  public static Dataset<Row> open(SparkSession spark, InputFormat format, List<String> paths) {
    String[] array = paths.toArray(String[]::new);
    return switch (format) {
      case PARQUET -> spark.read().parquet(array);
      case ARROW -> spark.read().format(ArrowSource.class.getName()).load(array);
    };
  }

  /**
   * The data files of an opened corpus, sorted. Spark lists a Parquet corpus itself; the Arrow
   * source is a DataSource V2 table, which Spark cannot list, so the listing the source uses is
   * repeated.
   */
  public static List<String> dataFiles(
      SparkSession spark, InputFormat format, Dataset<Row> opened, List<String> paths) {
    List<String> files =
        switch (format) {
          // inputFiles() gives URI strings, escaped ("a%20b"); Hadoop's Path(String) would escape
          // them again.
          case PARQUET ->
              Arrays.stream(opened.inputFiles())
                  .map(uri -> new Path(URI.create(uri)).toString())
                  .collect(Collectors.toCollection(ArrayList::new));
          case ARROW ->
              new ArrayList<>(
                  DataFiles.list(
                          paths,
                          spark.sparkContext().hadoopConfiguration(),
                          InputFormat::hasArrowExtension)
                      .files());
        };
    files.sort(null);
    return files;
  }
}
