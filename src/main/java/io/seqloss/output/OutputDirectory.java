package io.seqloss.output;

import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The all-or-nothing output of a run. Everything is written into a hidden staging directory beside
 * the target, {@code summary.json} last; {@link #commit()} then swaps it in with renames. A run that
 * fails, or is killed, before the commit leaves the previous output (or no output) in place, never a
 * mix. On HDFS and local disks the swap is two renames; on object stores a rename is a copy, and the
 * README says what that means.
 */
public final class OutputDirectory {
  private static final Logger LOG = LogManager.getLogger(OutputDirectory.class);
  /** How long a hidden directory of an earlier run must lie untouched before a new run removes it. */
  static final Duration ABANDONED_AFTER = Duration.ofDays(7);
  private final FileSystem fs;
  private final Path target;
  private final Path staging;

  private OutputDirectory(FileSystem fs, Path target, Path staging) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
  }

  /** Checks the target can be replaced and creates a fresh staging directory beside it. */
  public static OutputDirectory prepare(String dir, Configuration hadoopConf) {
    try {
      Path target = new Path(dir);
      FileSystem fs = target.getFileSystem(hadoopConf);
      target = fs.makeQualified(target);
      if (fs.exists(target)) {
        FileStatus status = fs.getFileStatus(target);
        if (!status.isDirectory()) {
          throw new ConfigException("--output " + dir + " exists and is a file, not a directory");
        }
        if (fs.listStatus(target).length > 0 && !fs.exists(new Path(target, OutputSchemas.SUMMARY))) {
          throw new ConfigException("--output " + dir + " is a non-empty directory that is not a seqloss "
              + "output (no " + OutputSchemas.SUMMARY + "); refusing to replace it");
        }
      }
      Path parent = target.getParent();
      removeAbandoned(fs, target, System.currentTimeMillis());
      Path staging = new Path(parent, "." + target.getName() + ".seqloss-staging-" + UUID.randomUUID());
      fs.mkdirs(staging);
      return new OutputDirectory(fs, target, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output directory " + dir, e);
    }
  }

  /**
   * Deletes the hidden directories that runs killed before they could clean up (a driver SIGKILLed, a
   * node lost) left beside this target, once nothing has touched them for {@link #ABANDONED_AFTER}:
   * no live run keeps a staging directory that long without writing to it, and without this they pile
   * up beside outputs that are rewritten every night.
   */
  static void removeAbandoned(FileSystem fs, Path target, long nowMillis) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String staging = "." + target.getName() + ".seqloss-staging-";
    String previous = "." + target.getName() + ".seqloss-previous-";
    for (FileStatus left : fs.listStatus(parent,
        p -> p.getName().startsWith(staging) || p.getName().startsWith(previous))) {
      if (nowMillis - left.getModificationTime() > ABANDONED_AFTER.toMillis()) {
        LOG.warn("removing {}, left by a run that was killed {} or more ago", left.getPath(), ABANDONED_AFTER);
        fs.delete(left.getPath(), true);
      }
    }
  }

  /** Where a result directory is written before the commit. */
  public String stagingPath(String child) {
    return new Path(staging, child).toString();
  }

  public String targetPath() {
    return target.toString();
  }

  public void writeSummary(String json) {
    try (OutputStream out = fs.create(new Path(staging, OutputSchemas.SUMMARY), true)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + OutputSchemas.SUMMARY + " to " + staging, e);
    }
  }

  /** Replaces the target with the staged output. */
  public void commit() {
    try {
      Path previous = null;
      if (fs.exists(target)) {
        previous = new Path(target.getParent(), "." + target.getName() + ".seqloss-previous-" + UUID.randomUUID());
        rename(target, previous);
      }
      rename(staging, target);
      if (previous != null) {
        fs.delete(previous, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the output from " + staging + " to " + target, e);
    }
  }

  /** Removes the staging directory of a failed run; the target is untouched. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException ignored) {
      // Best effort: a leftover hidden staging directory is harmless and named as such.
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
