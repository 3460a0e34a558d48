package io.seqloss.input;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the data files of a corpus the way Spark's file sources do: a named file (or a glob match)
 * is taken whatever its name; directories are walked recursively, leaving out hidden entries
 * ({@code _SUCCESS}, {@code .crc}, staging directories).
 */
public final class DataFiles {
  private DataFiles() {}

  /**
   * The files found, as qualified URIs in sorted order, and the files inside directories that
   * {@code inDirectory} turned down (reported by the caller, never dropped silently).
   *
   * @param sparkWouldRead hidden files inside directories that Spark's own file index still lists
   *     ({@code _metadata*}, {@code _common_metadata*}): a corpus holding any must be opened by its
   *     files
   */
  public record Listing(List<String> files, List<String> skipped, List<String> sparkWouldRead) {}

  public static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /**
   * Spark's InMemoryFileIndex keeps these hidden names (Parquet summary files) in a directory's
   * listing.
   */
  static boolean isListedBySpark(String name) {
    return name.startsWith("_metadata") || name.startsWith("_common_metadata");
  }

  public static Listing list(
      List<String> paths, Configuration conf, Predicate<String> inDirectory) {
    TreeSet<String> files = new TreeSet<>();
    TreeSet<String> skipped = new TreeSet<>();
    TreeSet<String> sparkWouldRead = new TreeSet<>();
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new InvalidInputException(String.format("input path %s does not exist", p));
        }
        for (FileStatus match : matches) {
          if (match.isFile()) {
            files.add(fs.makeQualified(match.getPath()).toString());
          } else {
            walk(fs, match.getPath(), inDirectory, files, skipped, sparkWouldRead);
          }
        }
      } catch (IOException e) {
        throw new InvalidInputException(String.format("cannot list input path %s: %s", p, e), e);
      }
    }
    return new Listing(
        new ArrayList<>(files), new ArrayList<>(skipped), new ArrayList<>(sparkWouldRead));
  }

  private static void walk(
      FileSystem fs,
      Path dir,
      Predicate<String> accept,
      TreeSet<String> files,
      TreeSet<String> skipped,
      TreeSet<String> sparkWouldRead)
      throws IOException {
    for (FileStatus child : fs.listStatus(dir)) {
      String name = child.getPath().getName();
      if (isHidden(name)) {
        if (child.isFile() && isListedBySpark(name)) {
          sparkWouldRead.add(fs.makeQualified(child.getPath()).toString());
        }
        continue;
      }
      if (child.isDirectory()) {
        walk(fs, child.getPath(), accept, files, skipped, sparkWouldRead);
      } else if (accept.test(name)) {
        files.add(fs.makeQualified(child.getPath()).toString());
      } else {
        skipped.add(fs.makeQualified(child.getPath()).toString());
      }
    }
  }
}
