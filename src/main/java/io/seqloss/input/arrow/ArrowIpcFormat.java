package io.seqloss.input.arrow;

/**
 * The two Arrow IPC formats. The stream format is what Hugging Face {@code datasets} keeps in its
 * {@code *.arrow} cache files; the file format (a stream with a footer indexing its record batches,
 * between {@code ARROW1} magics) is Feather v2, pyarrow's {@code write_feather}.
 */
public enum ArrowIpcFormat {
  STREAM,
  FILE
}
