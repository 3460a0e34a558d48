package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import io.seqloss.config.InputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The directory a generate run writes, on any Hadoop file system. Checked before any work starts,
 * so that an existing corpus is replaced only when {@code --overwrite} says so, whatever the
 * format.
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
      if (fs.exists(target)) {
        checkReplaceable(fs, target, output);
      }
      // Qualified, so that executors resolve a relative path against the driver's directory.
      return new GenerateTarget(output, fs, fs.makeQualified(target));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check output " + output, e);
    }
  }

  /**
   * {@code --overwrite} replaces a corpus, never a directory that holds anything else: a mistyped
   * {@code --output} (a home directory, a real corpus's parent) must not be deleted.
   */
  private static void checkReplaceable(FileSystem fs, Path target, String output)
      throws IOException {
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new ConfigException(
          "--output " + output + " is a file, not a corpus directory; refusing to replace it");
    }
    for (FileStatus entry : fs.listStatus(target)) {
      String name = entry.getPath().getName();
      if (entry.isDirectory() || !isCorpusFile(name)) {
        throw new ConfigException(
            String.format(
                "--output %s holds %s%s, which generate does not write; "
                    + "--overwrite replaces only a directory of Parquet or Arrow IPC files. Choose another --output, or "
                    + "delete it yourself",
                output, name, entry.isDirectory() ? "/" : ""));
      }
    }
  }

  private static boolean isCorpusFile(String name) {
    return name.endsWith(".parquet")
        || InputFormat.hasArrowExtension(name)
        || name.endsWith(".crc")
        || name.equals("_SUCCESS");
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
