package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import java.io.Serializable;
import java.util.Locale;

/**
 * What {@code generate} writes: how many sequences of which shape, how they are laid out in files.
 * Every value is checked here, once, so that a bad option is a usage error before Spark starts work.
 *
 * @param paddingShare share of each sequence's steps, at its end, that are padding (weight 0)
 * @param rowsPerFile sequences per Parquet file (the last file may hold fewer)
 * @param rowGroupBytes Parquet row group size (parquet.block.size) in bytes
 * @param pageCheckRows rows before Parquet first checks the page and row group sizes: 1 keeps pages
 *     near 1 MB (or one row); Spark's default, 100, gives wide rows pages of 100 rows
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
    int pageCheckRows) implements Serializable {

  /** The id column written: strings, longs, or none (seqloss then derives ids from file and row). */
  public enum IdType {
    STRING, LONG, NONE
  }

  /** Parquet codecs Spark writes; "uncompressed" and "snappy" are the two the benchmark compares. */
  public static final java.util.List<String> CODECS = java.util.List.of("uncompressed", "snappy", "gzip", "zstd",
      "lz4");

  public SyntheticCorpusSpec {
    if (sequences < 1) {
      throw new ConfigException("--sequences must be at least 1, got " + sequences);
    }
    if (minLength < 1 || maxLength < minLength) {
      throw new ConfigException(String.format(
          "--min-length and --max-length must satisfy 1 <= min <= max, got %d and %d", minLength, maxLength));
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
    if (rowGroupBytes < 1024 * 1024) {
      throw new ConfigException("--row-group-mb must be at least 1");
    }
  }

  public int files() {
    return Math.toIntExact((sequences + rowsPerFile - 1) / rowsPerFile);
  }
}
