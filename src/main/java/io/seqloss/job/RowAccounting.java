package io.seqloss.job;

import io.seqloss.input.Corpus;
import io.seqloss.reduce.CorpusTotals;

/**
 * The check that no row was lost or counted twice: every row the footers of the files read declare
 * must have come out of the evaluation as exactly one valid or invalid row. A mismatch means rows
 * were dropped or counted twice on the way (a file that changed during the run, a reader that skips
 * data); the run then fails rather than report a loss over the wrong rows.
 */
final class RowAccounting {
  private RowAccounting() {}

  static void check(Corpus corpus, CorpusTotals totals) {
    if (corpus.footerRows().isEmpty()) {
      return; // a corpus built in a test from rows directly: nothing to check against
    }
    long declared = corpus.footerRows().getAsLong();
    long seen = totals.sequences() + totals.invalidRows();
    if (seen != declared) {
      throw new IllegalStateException(String.format(
          "row accounting failed: the footers of the %d file(s) read declare %d rows, but the evaluation saw %d "
              + "(%d valid + %d invalid); did a file change during the run? No result was written",
          corpus.files().size(), declared, seen, totals.sequences(), totals.invalidRows()));
    }
  }
}
