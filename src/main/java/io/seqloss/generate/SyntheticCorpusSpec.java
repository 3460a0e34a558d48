package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What {@code generate} writes: how many sequences of which shape, how they are laid out in files.
 * Every value is checked here, once, so that a bad option is a usage error before Spark starts
 * work.
 *
 * @param paddingShare share of each sequence's steps, at its end, that are padding (weight 0)
 * @param rowsPerFile sequences per file, Parquet or Arrow (the last file may hold fewer)
 * @param compression Parquet codec (Parquet only: Arrow files are written uncompressed)
 * @param rowGroupBytes Parquet row group size (parquet.block.size) in bytes
 * @param pageCheckRows rows before Parquet first checks the page and row group sizes: 1 keeps pages
 *     near 1 MB (or one row); Spark's default, 100, gives wide rows pages of 100 rows
 * @param targetBoost what the target's logit is raised by: one seed with two boosts gives two
 *     "checkpoints" over the same sequences, targets and weights, the larger boost the better model
 * @param groupColumn a categorical column for slicing, or null for none
 */
public record SyntheticCorpusSpec(
    long sequences,
    int minLength,
    int maxLength,
    int numClasses,
    double paddingShare,
    long seed,
    IdType idType,
    long rowsPerFile,
    String compression,
    long rowGroupBytes,
    int pageCheckRows,
    float targetBoost,
    GroupColumn groupColumn)
    implements Serializable {

  /** The default boost: the loss of a model that is somewhat right. */
  public static final float DEFAULT_TARGET_BOOST = 2.0f;

  /**
   * The id column written: strings, longs, or none (seqloss then derives ids from file and row).
   */
  public enum IdType {
    STRING,
    LONG,
    NONE
  }

  /**
   * Parquet codecs Spark writes; "uncompressed" and "snappy" are the two the benchmark compares.
   */
  public static final List<String> CODECS =
      List.of("uncompressed", "snappy", "gzip", "zstd", "lz4");

  /** A corpus with the default target boost and no group column. */
  public SyntheticCorpusSpec(
      long sequences,
      int minLength,
      int maxLength,
      int numClasses,
      double paddingShare,
      long seed,
      IdType idType,
      long rowsPerFile,
      String compression,
      long rowGroupBytes,
      int pageCheckRows) {
    this(
        sequences,
        minLength,
        maxLength,
        numClasses,
        paddingShare,
        seed,
        idType,
        rowsPerFile,
        compression,
        rowGroupBytes,
        pageCheckRows,
        DEFAULT_TARGET_BOOST,
        null);
  }

  public SyntheticCorpusSpec {
    if (sequences < 1) {
      throw new ConfigException("--sequences must be at least 1, got " + sequences);
    }
    if (minLength < 1 || maxLength < minLength) {
      throw new ConfigException(
          String.format(
              "--min-length and --max-length must satisfy 1 <= min <= max, got %d and %d",
              minLength, maxLength));
    }
    if (numClasses < 1) {
      throw new ConfigException("--num-classes must be at least 1, got " + numClasses);
    }
    if (!(paddingShare >= 0.0 && paddingShare < 1.0)) {
      throw new ConfigException("--padding-share must be in [0, 1), got " + paddingShare);
    }
    if (rowsPerFile < 1) {
      throw new ConfigException("--rows-per-file must be at least 1, got " + rowsPerFile);
    }
    compression = compression.toLowerCase(Locale.ROOT);
    if (!CODECS.contains(compression)) {
      throw new ConfigException("--compression must be one of " + CODECS + ", got " + compression);
    }
    if (pageCheckRows < 1) {
      throw new ConfigException("--page-check-rows must be at least 1, got " + pageCheckRows);
    }
    if (!Float.isFinite(targetBoost)) {
      throw new ConfigException("--target-boost must be a finite number, got " + targetBoost);
    }
    if (rowGroupBytes < 1024 * 1024) {
      throw new ConfigException("--row-group-mb must be at least 1");
    }
  }

  public int files() {
    return Math.toIntExact((sequences + rowsPerFile - 1) / rowsPerFile);
  }

  /** 0, 1, ..., files() - 1: one Spark task each. */
  public List<Integer> fileIndices() {
    return IntStream.range(0, files()).boxed().toList();
  }

  /** The index of the first sequence of file {@code file} (0-based). */
  public long firstRowOf(int file) {
    return file * rowsPerFile;
  }

  /** One past the index of the last sequence of file {@code file}. */
  public long endRowOf(int file) {
    return Math.min(sequences, (file + 1) * rowsPerFile);
  }
}
