package io.seqloss.output;

import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Refuses an {@code --output} that equals, contains or lies inside an {@code --input}: a successful
 * run replaces its output as a whole, which would delete the input. Paths are compared as the file
 * system sees them: qualified (scheme, authority, working directory), with symbolic links resolved
 * on the local file system, and a glob by the directory part before its first wildcard.
 */
final class InputOverlap {
  private InputOverlap() {}

  /** Where a path lives: its file system and its path components, "" for the root. */
  record Location(String fileSystem, List<String> components) {
    boolean isWithin(Location other) {
      return fileSystem.equals(other.fileSystem)
          && components.size() >= other.components.size()
          && components.subList(0, other.components.size()).equals(other.components);
    }

    String path() {
      return "/" + String.join("/", components);
    }
  }

  static void check(String dir, Path qualifiedOutput, List<String> inputs, Configuration conf) {
    Location output = locate(qualifiedOutput);
    for (String input : inputs) {
      Location in;
      try {
        Path path = new Path(input);
        in = locate(path.getFileSystem(conf).makeQualified(nonGlobPrefix(path)));
      } catch (IOException | IllegalArgumentException e) {
        continue; // a path no file system can open: reading it fails with its own message
      }
      if (output.isWithin(in) || in.isWithin(output)) {
        String how = output.equals(in) ? "is" : output.isWithin(in) ? "lies inside" : "contains";
        throw new ConfigException(
            String.format(
                "--output %s %s --input %s (%s and %s, links resolved): a run "
                    + "replaces its whole output, which would delete the input; choose an --output outside every input",
                dir, how, input, output.path(), in.path()));
      }
    }
  }

  /**
   * The leading components of a path that hold no glob character: the directory a glob searches.
   */
  static Path nonGlobPrefix(Path path) {
    URI uri = path.toUri();
    String[] parts = uri.getPath().split("/", -1);
    List<String> kept = new ArrayList<>();
    for (String part : parts) {
      if (part.chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0)) {
        break;
      }
      kept.add(part);
    }
    String prefix = String.join("/", kept);
    if (prefix.isEmpty()) {
      prefix = uri.getPath().startsWith("/") ? "/" : ".";
    }
    return new Path(uri.getScheme(), uri.getAuthority(), prefix);
  }

  static Location locate(Path qualified) {
    URI uri = qualified.toUri();
    String scheme = Objects.toString(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    String fileSystem =
        scheme + "://" + Objects.toString(uri.getAuthority(), "").toLowerCase(Locale.ROOT);
    String path =
        "file".equals(scheme)
            ? realLocalPath(uri.getPath())
            : URI.create("x:" + uri.getRawPath()).normalize().getPath();
    List<String> components = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty()) {
        components.add(c);
      }
    }
    return new Location(fileSystem, components);
  }

  /**
   * The real path of the longest existing prefix (links resolved), followed by the rest as written.
   */
  private static String realLocalPath(String path) {
    java.nio.file.Path p = Paths.get(path).toAbsolutePath();
    Deque<String> rest = new ArrayDeque<>();
    java.nio.file.Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      rest.push(existing.getFileName().toString());
      existing = existing.getParent();
    }
    java.nio.file.Path real = p;
    if (existing != null) {
      try {
        real = existing.toRealPath();
        for (String r : rest) {
          real = real.resolve(r);
        }
      } catch (IOException e) {
        real = p;
      }
    }
    return real.normalize().toString();
  }
}
