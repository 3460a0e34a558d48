package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The directory a generate run writes, on any Hadoop file system. Checked before any work starts, so
 * that an existing corpus is replaced only when {@code --overwrite} says so, whatever the format.
 */
final class GenerateTarget {
  private final String output;
  private final FileSystem fs;
  private final Path path;

  private GenerateTarget(String output, FileSystem fs, Path path) {
    this.output = output;
    this.fs = fs;
    this.path = path;
  }

  static GenerateTarget check(SparkSession spark, String output, boolean overwrite) {
    Path target = new Path(output);
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(target) && !overwrite) {
        throw new ConfigException("--output " + output + " exists; pass --overwrite to replace it");
      }
      // Qualified, so that executors resolve a relative path against the driver's directory.
      return new GenerateTarget(output, fs, fs.makeQualified(target));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check output " + output, e);
    }
  }

  String output() {
    return output;
  }

  FileSystem fs() {
    return fs;
  }

  Path path() {
    return path;
  }

  /** Bytes under the directory, or -1 when the file system cannot say. */
  long size() {
    try {
      return fs.getContentSummary(path).getLength();
    } catch (IOException e) {
      return -1;
    }
  }
}
