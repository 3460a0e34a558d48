package io.seqloss.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The project's Markdown pages, read by the tests that keep them true. */
public final class Markdown {
  private Markdown() {}

  /**
   * A fenced block: its info string ("bash", "text", ...), its text, its first line and what
   * follows it.
   */
  public record Block(Path page, int line, String lang, String text, String after) {
    public String where() {
      return page + ":" + line;
    }
  }

  /** The project's root: the working directory of surefire, seqloss.home under failsafe. */
  public static Path home() {
    return Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath().normalize();
  }

  /** README.md and every page under docs/. */
  public static List<Path> pages() {
    List<Path> pages = new ArrayList<>(List.of(home().resolve("README.md")));
    try (Stream<Path> docs = Files.walk(home().resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  public static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every fenced block of a page, with the first non-blank line after it (the "Tested by" line).
   */
  public static List<Block> blocks(Path page) {
    List<String> lines = read(page).lines().toList();
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("```")) {
        continue;
      }
      String lang = lines.get(i).substring(3).strip();
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      int next = i + 1;
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      blocks.add(
          new Block(
              page, start + 1, lang, text.toString(), next < lines.size() ? lines.get(next) : ""));
    }
    return blocks;
  }

  /** The blocks of one language across README.md and docs/. */
  public static List<Block> blocks(String lang) {
    return pages().stream()
        .flatMap(p -> blocks(p).stream())
        .filter(b -> b.lang().equals(lang))
        .toList();
  }

  /** Shell commands of a block: continuation lines joined, comments and blank lines dropped. */
  public static List<String> commands(Block block) {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : block.text().split("\n")) {
      String code = line.replaceFirst("\\s+#.*$", "");
      if (current.isEmpty() && (code.isBlank() || code.startsWith("#"))) {
        continue;
      }
      if (code.endsWith("\\")) {
        current.append(code, 0, code.length() - 1).append(' ');
      } else {
        commands.add(current.append(code).toString().strip());
        current.setLength(0);
      }
    }
    return commands;
  }

  /** A line shown with … for what differs from run to run, as a pattern for the line itself. */
  public static Pattern shownLine(String shown) {
    StringBuilder regex = new StringBuilder();
    String[] parts = shown.split("…", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(Pattern.quote(parts[i]));
      if (i < parts.length - 1) {
        regex.append(".*");
      }
    }
    return Pattern.compile(regex.toString());
  }

  /**
   * The lines of a shown output that no line of the real output matches ("…" stands for anything).
   */
  public static List<String> linesNotIn(String shown, String actual) {
    List<String> missing = new ArrayList<>();
    for (String line : shown.strip().split("\n")) {
      Pattern p = shownLine(line);
      if (actual.lines().noneMatch(a -> p.matcher(a).matches())) {
        missing.add(line);
      }
    }
    return missing;
  }
}
