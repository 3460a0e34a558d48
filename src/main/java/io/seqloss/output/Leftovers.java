package io.seqloss.output;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The hidden directories a run keeps beside its output: {@code .DIR.seqloss-staging-<time>-<run
 * id>} while it writes, {@code .DIR.seqloss-previous-<time>-<run id>} for the replaced output
 * between the two renames of its commit. The time in the name (UTC, when the directory got that
 * name) is what ages them: a rename keeps a directory's mtime, so mtime says when the output was
 * written, not when it was set aside.
 */
final class Leftovers {
  private static final Logger LOG = LogManager.getLogger(Leftovers.class);

  /**
   * How long a leftover of a killed run is kept before a new run for the same output removes it.
   */
  static final Duration ABANDONED_AFTER = Duration.ofDays(7);

  static final String STAGING = "staging";
  static final String PREVIOUS = "previous";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern STAMPED = Pattern.compile("(\\d{8}T\\d{6}Z)-.+");

  private Leftovers() {}

  static Path name(Path target, String kind, long nowMillis, String runId) {
    return new Path(
        target.getParent(),
        prefix(target, kind) + STAMP.format(Instant.ofEpochMilli(nowMillis)) + "-" + runId);
  }

  private static String prefix(Path target, String kind) {
    return "." + target.getName() + ".seqloss-" + kind + "-";
  }

  /**
   * The time in a leftover's name; empty for the names of seqloss versions that did not record one.
   */
  static OptionalLong recordedMillis(Path target, String kind, String name) {
    Matcher m = STAMPED.matcher(name.substring(prefix(target, kind).length()));
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Instant.from(STAMP.parse(m.group(1))).toEpochMilli());
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Puts back a previous output whose run was killed between its two renames (DIR missing), then
   * removes what killed runs left once {@link #ABANDONED_AFTER} has passed since the recorded time.
   * Called under the output's lock, so no live run of this version owns any of them.
   */
  static void tidy(FileSystem fs, Path target, long nowMillis) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    // One listing of the parent for both kinds: the parent may hold thousands of other entries
    // (other outputs), each a file status to fetch.
    List<FileStatus> leftovers = list(fs, target);
    List<FileStatus> previous = ofKind(leftovers, target, PREVIOUS);
    if (!previous.isEmpty() && !fs.exists(target)) {
      restoreNewest(fs, target, previous);
      previous = ofKind(list(fs, target), target, PREVIOUS);
    }
    for (FileStatus left : ofKind(leftovers, target, STAGING)) {
      // A staging directory of an older version: its mtime moves as the run writes into it.
      long madeAt =
          recordedMillis(target, STAGING, left.getPath().getName())
              .orElse(left.getModificationTime());
      removeIfAbandoned(fs, left.getPath(), madeAt, nowMillis);
    }
    for (FileStatus left : previous) {
      OptionalLong madeAt = recordedMillis(target, PREVIOUS, left.getPath().getName());
      if (madeAt.isPresent()) {
        removeIfAbandoned(fs, left.getPath(), madeAt.getAsLong(), nowMillis);
      } else {
        LOG.warn(
            "{} holds an output that an earlier seqloss version set aside, at a time it did not record; "
                + "it is kept: delete it by hand once you no longer need it",
            left.getPath());
      }
    }
  }

  private static void restoreNewest(FileSystem fs, Path target, List<FileStatus> previous)
      throws IOException {
    FileStatus newest =
        previous.stream()
            .max(
                Comparator.comparingLong(
                    (FileStatus s) ->
                        recordedMillis(target, PREVIOUS, s.getPath().getName())
                            .orElse(Long.MIN_VALUE)))
            .get();
    if (!fs.rename(newest.getPath(), target)) {
      throw new IOException(
          "cannot restore the previous output " + newest.getPath() + " to " + target);
    }
    LOG.warn(
        "restored {} to {}: a run was killed between the two renames of its commit, so {} was missing",
        newest.getPath(),
        target,
        target);
  }

  private static void removeIfAbandoned(FileSystem fs, Path left, long madeAtMillis, long nowMillis)
      throws IOException {
    if (nowMillis - madeAtMillis > ABANDONED_AFTER.toMillis()) {
      LOG.warn(
          "removing {}, left at {} by a run that was killed, {} or more ago",
          left,
          Instant.ofEpochMilli(madeAtMillis),
          ABANDONED_AFTER);
      fs.delete(left, true);
    }
  }

  /** The parent's entries that are leftovers of this output, of either kind. */
  private static List<FileStatus> list(FileSystem fs, Path target) throws IOException {
    String previous = prefix(target, PREVIOUS);
    String staging = prefix(target, STAGING);
    return Arrays.asList(
        fs.listStatus(
            target.getParent(),
            p -> p.getName().startsWith(previous) || p.getName().startsWith(staging)));
  }

  private static List<FileStatus> ofKind(List<FileStatus> leftovers, Path target, String kind) {
    String prefix = prefix(target, kind);
    return leftovers.stream().filter(s -> s.getPath().getName().startsWith(prefix)).toList();
  }
}
