package io.seqloss.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Decides whether an existing {@code --output} may be replaced: only a seqloss output holding
 * nothing but what its run wrote. Replacing deletes the whole directory, so anything else found in
 * it (a {@code corpus/} copied in, the input's own files) makes the run stop before it starts.
 */
final class ExistingOutput {
  private static final Logger LOG = LogManager.getLogger(ExistingOutput.class);

  /** The names outputs of seqloss versions before the marker could hold. */
  private static final Set<String> LEGACY_ENTRIES =
      Set.of(
          OutputSchemas.SUMMARY,
          OutputSchemas.PER_SEQUENCE,
          OutputSchemas.PER_TIMESTEP,
          OutputSchemas.PER_TOKEN,
          OutputSchemas.INVALID);

  private ExistingOutput() {}

  static void checkReplaceable(FileSystem fs, Path target, String dir) throws IOException {
    if (!fs.exists(target)) {
      return;
    }
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new ConfigException("--output " + dir + " exists and is a file, not a directory");
    }
    FileStatus[] found = fs.listStatus(target);
    if (found.length == 0) {
      return;
    }
    Set<String> written = writtenBySeqloss(fs, target, dir);
    for (FileStatus entry : found) {
      String name = entry.getPath().getName();
      if (!written.contains(name) && !isChecksumOfOneOf(name, written)) {
        throw new ConfigException(
            String.format(
                "--output %s holds %s, which no seqloss run wrote there (its "
                    + "runs wrote %s); replacing the directory would delete it, so the run is refused: move %s out of "
                    + "%s, or choose another --output",
                dir, name, new TreeSet<>(written), name, dir));
      }
    }
  }

  /**
   * The entries the run that wrote this output put there, by its marker or, before markers, its
   * summary.
   */
  private static Set<String> writtenBySeqloss(FileSystem fs, Path target, String dir)
      throws IOException {
    if (fs.exists(new Path(target, OutputMarker.NAME))) {
      OutputMarker marker;
      try {
        marker = OutputMarker.readFrom(fs, target);
      } catch (IOException e) {
        throw new ConfigException(
            "--output "
                + dir
                + ": its "
                + OutputMarker.NAME
                + " marker cannot be read ("
                + e.getMessage()
                + "); refusing to replace it: delete "
                + dir
                + " if it is yours to replace",
            e);
      }
      Set<String> written = new HashSet<>(marker.entries());
      written.add(OutputMarker.NAME);
      return written;
    }
    Optional<Set<String>> legacy = legacyEntries(fs, new Path(target, OutputSchemas.SUMMARY));
    if (legacy.isEmpty()) {
      throw new ConfigException(
          "--output "
              + dir
              + " is a non-empty directory that is not a seqloss output (no "
              + OutputMarker.NAME
              + " marker, and no "
              + OutputSchemas.SUMMARY
              + " written by seqloss); refusing to "
              + "replace it: delete it if it is yours to replace, or choose another --output");
    }
    LOG.warn(
        "--output {} was written by a seqloss version before the {} marker; it holds only that version's "
            + "outputs, so it is replaced",
        dir,
        OutputMarker.NAME);
    return legacy.get();
  }

  /**
   * Outputs of versions before the marker: accepted when summary.json is a seqloss summary whose
   * "outputs" name only seqloss's own result directories, so that nightly reruns go on after an
   * upgrade; a hand-made summary.json ({}) does not qualify.
   */
  private static Optional<Set<String>> legacyEntries(FileSystem fs, Path summary)
      throws IOException {
    if (!fs.exists(summary)) {
      return Optional.empty();
    }
    JsonNode json;
    try (InputStream in = fs.open(summary)) {
      json = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (json == null
        || !json.path("seqloss_version").isTextual()
        || !json.path("outputs").isObject()) {
      return Optional.empty();
    }
    Set<String> entries = new HashSet<>();
    for (Iterator<JsonNode> it = json.get("outputs").elements(); it.hasNext(); ) {
      String entry = it.next().asText().replaceAll("/+$", "");
      if (!LEGACY_ENTRIES.contains(entry)) {
        return Optional.empty();
      }
      entries.add(entry);
    }
    entries.add(OutputSchemas.SUMMARY);
    return Optional.of(entries);
  }

  /** Hadoop's local file system writes {@code .NAME.crc} beside every file NAME. */
  private static boolean isChecksumOfOneOf(String name, Set<String> written) {
    return name.startsWith(".")
        && name.endsWith(".crc")
        && written.contains(name.substring(1, name.length() - ".crc".length()));
  }
}
