package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import io.seqloss.input.arrow.ArrowIpcFormat;
import java.io.Serializable;
import java.util.Locale;

/**
 * How {@code generate --format arrow} lays out its files: the IPC format, which also names the
 * files ({@code .arrow} for the stream format, as Hugging Face {@code datasets} names its cache
 * files; {@code .feather} for the file format), and the rows of each record batch.
 *
 * @param rowsPerBatch rows per record batch: a reader holds one whole batch in memory, so a batch
 *     is kept to a bounded size (see {@link #autoRowsPerBatch})
 */
public record ArrowLayout(ArrowIpcFormat ipc, int rowsPerBatch) implements Serializable {
  /**
   * Bytes of a record batch when the rows per batch are not given: the budget seqloss's Parquet
   * reader batches get too (io.seqloss.input.ReaderSettings), so both formats are read in batches
   * alike.
   */
  static final long AUTO_BATCH_BYTES = 8L << 20;

  /**
   * Spark's own columnar batch size: narrow rows are not packed further than a Parquet batch is.
   */
  static final int AUTO_MAX_ROWS = 4096;

  public ArrowLayout {
    if (ipc == null) {
      throw new ConfigException("--arrow-ipc must be stream or file");
    }
    if (rowsPerBatch < 1) {
      throw new ConfigException("--rows-per-batch must be at least 1, got " + rowsPerBatch);
    }
  }

  /**
   * The layout asked for; a null {@code ipc} is the stream format, null rows per batch are chosen.
   */
  public static ArrowLayout of(ArrowIpcFormat ipc, Integer rowsPerBatch, SyntheticCorpusSpec spec) {
    return new ArrowLayout(
        ipc == null ? ArrowIpcFormat.STREAM : ipc,
        rowsPerBatch == null ? autoRowsPerBatch(spec) : rowsPerBatch);
  }

  /**
   * As many of the spec's longest rows as fit in {@link #AUTO_BATCH_BYTES}, between 1 and {@link
   * #AUTO_MAX_ROWS}: one row a batch for V = 32000, T = 64 (8 MB a row), 4096 for narrow rows.
   */
  public static int autoRowsPerBatch(SyntheticCorpusSpec spec) {
    // a step: its logits, its target and weight, and the offset of its logits list
    long rowBytes = (long) spec.maxLength() * (4L * spec.numClasses() + 12);
    return (int) Math.max(1, Math.min(AUTO_MAX_ROWS, AUTO_BATCH_BYTES / rowBytes));
  }

  /** The data files' extension, one that seqloss's detection by name reads as Arrow. */
  public String extension() {
    return ipc == ArrowIpcFormat.FILE ? ".feather" : ".arrow";
  }

  /** The IPC format as the command line and the JSON line name it. */
  public String ipcName() {
    return ipc.name().toLowerCase(Locale.ROOT);
  }
}
