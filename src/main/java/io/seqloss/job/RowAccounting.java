package io.seqloss.job;

import io.seqloss.input.Corpus;
import io.seqloss.reduce.CorpusTotals;
import java.util.OptionalLong;

/**
 * The check that no row was lost or counted twice: every row the files read declare (Parquet
 * footers, Arrow record batch headers) must have come out of the evaluation as exactly one valid or
 * invalid row. A mismatch means rows were dropped or counted twice on the way (a file that changed
 * during the run, a reader that skips data); the run then fails rather than report a loss over the
 * wrong rows.
 */
final class RowAccounting {
  private RowAccounting() {}

  static void check(Corpus corpus, OptionalLong declaredRows, CorpusTotals totals) {
    if (declaredRows.isEmpty()) {
      return; // a corpus built in a test from rows directly: nothing to check against
    }
    long declared = declaredRows.getAsLong();
    long seen = totals.sequences() + totals.invalidRows();
    if (seen != declared) {
      throw new IllegalStateException(
          String.format(
              "row accounting failed: the %d file(s) read declare %d rows (%s), but the evaluation saw %d "
                  + "(%d valid + %d invalid); did a file change during the run? No result was written",
              corpus.files().size(),
              declared,
              corpus.footerRows().isPresent() ? "Parquet footers" : "record batch headers",
              seen,
              totals.sequences(),
              totals.invalidRows()));
    }
  }
}
