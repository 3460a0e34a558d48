package io.seqloss.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.Markdown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/ hold no dangling reference: relative links (and their #anchors) resolve,
 * nothing points outside the repository, and every shell block names the test that runs it.
 */
class DocLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern TEST_METHOD = Pattern.compile("`([A-Z]\\w*(?:Test|IT))\\.(\\w+)`");

  /** Page text without fenced blocks and inline code, where link syntax is literal. */
  private static String prose(Path page) {
    return Markdown.read(page).replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "``");
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
  static String anchor(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  private static Set<String> anchors(Path page) {
    Set<String> anchors = new HashSet<>();
    for (String line : Markdown.read(page).replaceAll("(?s)```.*?```", "").split("\n")) {
      if (line.matches("#{1,6} .*")) {
        anchors.add(anchor(line.replaceFirst("^#+ ", "")));
      }
    }
    return anchors;
  }

  @Test
  void relativeLinksAndAnchorsResolve() {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : Markdown.pages()) {
      Matcher m = LINK.matcher(prose(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // http(s), mailto: not a file of this repository
        }
        links++;
        String file = target.replaceFirst("#.*$", "");
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no " + resolved + ")");
        } else if (target.contains("#")
            && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
          broken.add(page + ": " + target + " (no such heading in " + resolved.getFileName() + ")");
        }
      }
    }
    assertTrue(
        links > 20, "found only " + links + " relative links: is the link pattern still right?");
    assertEquals(List.of(), broken);
  }

  @Test
  void noPageReachesOutsideTheRepository() {
    Path home = Markdown.home();
    for (Path page : Markdown.pages()) {
      String text = Markdown.read(page);
      assertFalse(
          text.contains("../shared") || text.contains("/work/shared"),
          page + " refers to ../shared");
      Matcher m = LINK.matcher(prose(page));
      while (m.find()) {
        if (!m.group(1).matches("[a-z]+:.*")) {
          assertTrue(
              page.getParent().resolve(m.group(1)).normalize().startsWith(home),
              page + ": " + m.group(1));
        }
      }
    }
  }

  @Test
  void everyShellBlockNamesTheTestThatRunsIt() {
    List<String> problems = new ArrayList<>();
    List<Markdown.Block> blocks = Markdown.blocks("bash");
    assertFalse(blocks.isEmpty());
    for (Markdown.Block block : blocks) {
      if (!block.after().startsWith("Tested by ")) {
        problems.add(
            block.where()
                + ": a bash block must be followed by a 'Tested by `SomeIT.method`' line");
        continue;
      }
      Matcher m = TEST_METHOD.matcher(block.after());
      if (!m.find()) {
        problems.add(block.where() + ": names no `Class.method`: " + block.after());
      }
      m.reset();
      while (m.find()) {
        Optional<Path> source = testSource(m.group(1));
        if (source.isEmpty()) {
          problems.add(block.where() + ": no test class " + m.group(1));
        } else if (!Markdown.read(source.get()).contains("void " + m.group(2) + "(")) {
          problems.add(block.where() + ": " + m.group(1) + " has no test method " + m.group(2));
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * A block's language decides whether it must name a test, so every block states it, shell as
   * bash.
   */
  @Test
  void everyBlockStatesItsLanguage() {
    List<String> problems = new ArrayList<>();
    for (Path page : Markdown.pages()) {
      for (Markdown.Block block : Markdown.blocks(page)) {
        if (block.lang().isEmpty()
            || Set.of("sh", "shell", "console", "zsh").contains(block.lang())) {
          problems.add(
              block.where()
                  + ": say ```bash for commands, ```text for output ('"
                  + block.lang()
                  + "')");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  private static Optional<Path> testSource(String className) {
    try (Stream<Path> files = Files.walk(Markdown.home().resolve("src/test/java"))) {
      return files.filter(f -> f.getFileName().toString().equals(className + ".java")).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
