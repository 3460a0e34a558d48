package io.seqloss.config;

import java.util.List;
import java.util.Locale;

/**
 * The file format of a corpus ({@code --format}), and how it is told from file names when not
 * given. {@code io.seqloss.input.FormatSources} opens each format with the same columns.
 */
public enum InputFormat {
  PARQUET("Parquet"),
  /**
   * Arrow IPC, stream or file ("Feather v2") format, read by {@code
   * io.seqloss.input.arrow.ArrowSource}.
   */
  ARROW("Arrow IPC");

  /** File name extensions that mark Arrow IPC files, for detection and for directory listings. */
  public static final List<String> ARROW_EXTENSIONS = List.of(".arrow", ".feather", ".ipc");

  private final String displayName;

  InputFormat(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** As {@code --format} spells it (picocli lists these in --help and accepts any case). */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static boolean hasArrowExtension(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return ARROW_EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  /**
   * The format of a corpus given without {@code --format}, from the names of its data files: Arrow
   * when they carry an Arrow extension, Parquet otherwise (Spark's writers name part files {@code
   * .parquet}, older ones use no extension). A corpus with both kinds is refused rather than half
   * read.
   */
  public static InputFormat detect(List<String> dataFileNames) {
    boolean arrow = false;
    boolean parquet = false;
    String firstArrow = null;
    String firstParquet = null;
    for (String name : dataFileNames) {
      if (hasArrowExtension(name)) {
        arrow = true;
        firstArrow = firstArrow == null ? name : firstArrow;
      } else if (name.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
        parquet = true;
        firstParquet = firstParquet == null ? name : firstParquet;
      }
    }
    if (arrow && parquet) {
      throw new ConfigException(
          String.format(
              "the input mixes Parquet files (%s) and Arrow files (%s); one run reads one format: "
                  + "pass --format parquet or --format arrow and paths of that format only",
              firstParquet, firstArrow));
    }
    return arrow ? ARROW : PARQUET;
  }
}
