package io.seqloss.input;

import java.util.OptionalLong;

/**
 * A scan that knows, from the files' own metadata, how many rows they hold: what the row accounting
 * checks the evaluation against when there are no Parquet footers to count (Arrow IPC corpora,
 * whose record batch headers the scan reads while planning).
 */
public interface DeclaredRows {

  /** The rows of every file the scan planned, or empty before it has planned. */
  OptionalLong declaredRows();
}
