package io.seqloss.output;

import io.seqloss.config.ConfigException;
import io.seqloss.job.Versions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The all-or-nothing output of a run. Everything is written into a hidden staging directory beside
 * the target, the {@value OutputMarker#NAME} marker and {@code summary.json} last; {@link
 * #commit()} then swaps it in with renames. A run that fails, or is killed, before the commit
 * leaves the previous output (or no output) in place, never a mix. On HDFS and local disks the swap
 * is two renames; on object stores a rename is a copy, and the README says what that means. One run
 * at a time holds the output's {@link OutputLock}, from {@link #prepare} to the commit or abort.
 */
public final class OutputDirectory {
  private static final Logger LOG = LogManager.getLogger(OutputDirectory.class);

  /**
   * Test hook: milliseconds the commit waits between its two renames, to let a test act in that
   * window. Read by {@link #commit()} only; unset (0) in every real run.
   */
  public static final String COMMIT_DELAY_PROPERTY = "seqloss.test.commitDelayMillis";

  private static final String PROBE = ".seqloss-probe";
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final String runId;
  private final OutputLock lock;

  private OutputDirectory(FileSystem fs, Path target, Path staging, String runId, OutputLock lock) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.runId = runId;
    this.lock = lock;
  }

  /**
   * Everything about the output that can fail, checked before any data is read, each a usage error
   * (exit 2): the output must not overlap an input, its location must be writable, no live run may
   * hold its lock, and an existing directory must be a seqloss output holding only what seqloss
   * wrote. Then takes the lock and creates and probes a fresh staging directory beside the target.
   */
  public static OutputDirectory prepare(String dir, List<String> inputs, Configuration hadoopConf) {
    Path target;
    FileSystem fs;
    try {
      target = new Path(dir);
      fs = target.getFileSystem(hadoopConf);
      target = fs.makeQualified(target);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--output " + dir + ": " + e.getMessage(), e);
    }
    InputOverlap.check(dir, target, inputs, hadoopConf);
    if (target.getParent() == null) {
      throw new ConfigException(
          "--output " + dir + " is the root of its file system; name a directory in it");
    }
    ensureDirectory(fs, target.getParent(), dir);
    String runId = UUID.randomUUID().toString();
    OutputLock lock = OutputLock.acquire(fs, target, runId, hadoopConf, dir);
    try {
      long now = System.currentTimeMillis();
      Leftovers.tidy(fs, target, now);
      ExistingOutput.checkReplaceable(fs, target, dir);
      Path staging = Leftovers.name(target, Leftovers.STAGING, now, runId);
      createAndProbe(fs, staging, dir);
      return new OutputDirectory(fs, target, staging, runId, lock);
    } catch (IOException e) {
      lock.release();
      throw new UncheckedIOException("cannot prepare output directory " + dir, e);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  private static void ensureDirectory(FileSystem fs, Path parent, String dir) {
    try {
      if (fs.exists(parent)) {
        if (!fs.getFileStatus(parent).isDirectory()) {
          throw new ConfigException(
              "--output " + dir + ": its parent " + parent + " is a file, not a directory");
        }
      } else if (!fs.mkdirs(parent)) {
        throw new ConfigException(
            "--output " + dir + ": cannot create its parent directory " + parent);
      }
    } catch (IOException e) {
      throw new ConfigException(
          "--output "
              + dir
              + ": cannot create its parent directory "
              + parent
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * mkdirs may return false rather than throw (an immutable or read-only directory): both are
   * caught here.
   */
  private static void createAndProbe(FileSystem fs, Path staging, String dir) {
    try {
      if (!fs.mkdirs(staging)) {
        throw new IOException("mkdirs returned false");
      }
      Path probe = new Path(staging, PROBE);
      try (OutputStream out = fs.create(probe, false)) {
        out.write('x');
      }
      if (!fs.delete(probe, false)) {
        throw new IOException("cannot delete " + probe);
      }
    } catch (IOException e) {
      deleteQuietly(fs, staging);
      throw new ConfigException(
          "--output "
              + dir
              + " is not writable: cannot create and write the staging "
              + "directory "
              + staging
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Where a result directory is written before the commit. */
  public String stagingPath(String child) {
    return new Path(staging, child).toString();
  }

  public String targetPath() {
    return target.toString();
  }

  /**
   * Writes the marker, listing what the run wrote, then summary.json: the last files of the output.
   */
  public void writeSummary(String json) {
    writeResult(OutputSchemas.SUMMARY, json);
  }

  /**
   * Writes the marker, listing what was written, then the one-line JSON result file {@code name}
   * (summary.json of a run, comparison.json of a comparison): the last files of the output.
   */
  public void writeResult(String name, String json) {
    try {
      List<String> entries =
          new ArrayList<>(
              Arrays.stream(fs.listStatus(staging))
                  .map(FileStatus::getPath)
                  .map(Path::getName)
                  .filter(n -> !n.startsWith("."))
                  .toList());
      entries.add(name);
      new OutputMarker(Versions.seqloss(), runId, System.currentTimeMillis(), entries)
          .writeTo(fs, staging);
      try (OutputStream out = fs.create(new Path(staging, name), true)) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name + " to " + staging, e);
    }
  }

  /**
   * Replaces the target with the staged output and releases the lock. Fails (the caller aborts) if
   * the lock was lost or the target reappeared between the renames: Hadoop's rename would move the
   * staging directory into it rather than in its place.
   */
  public void commit() {
    try {
      lock.checkHeld();
      Path previous = null;
      if (fs.exists(target)) {
        previous = Leftovers.name(target, Leftovers.PREVIOUS, System.currentTimeMillis(), runId);
        rename(target, previous);
      }
      delayForTests();
      if (fs.exists(target)) {
        throw new IOException(
            target
                + " appeared during the commit, written by another process"
                + (previous == null ? "" : "; the output it replaced is kept as " + previous)
                + "; this run's output is not committed");
      }
      rename(staging, target);
      if (previous != null) {
        fs.delete(previous, true);
      }
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move the output from " + staging + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private static void delayForTests() {
    long millis = Long.getLong(COMMIT_DELAY_PROPERTY, 0L);
    if (millis > 0) {
      LOG.warn(
          "test hook {}: waiting {} ms between the two renames of the commit",
          COMMIT_DELAY_PROPERTY,
          millis);
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Removes the staging directory of a failed run and releases the lock; the target is untouched.
   */
  public void abort() {
    deleteQuietly(fs, staging);
    lock.release();
  }

  private static void deleteQuietly(FileSystem fs, Path dir) {
    try {
      fs.delete(dir, true);
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
