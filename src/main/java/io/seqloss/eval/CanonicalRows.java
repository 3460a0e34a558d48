package io.seqloss.eval;

import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Canonical rows (in {@link io.seqloss.input.InputLayout}'s column order) handed to the evaluator,
 * with what the source knows about nulls among the logit values of the current row: a columnar
 * batch can tell that its value vector holds none, which lets the evaluator skip a check per value.
 */
public interface CanonicalRows extends Iterator<InternalRow> {

  /** False only when no logit value of the row last returned can be null. */
  boolean logitValuesMayBeNull();

  /**
   * A number standing for the value of the first group column ({@link
   * io.seqloss.input.InputLayout#WIDTH}) in the row last returned, or -1 when the source cannot
   * tell cheaply or the value is null. Within one {@link #dictionaryEpoch}, rows with the same
   * number hold the same value: a columnar batch's dictionary ids.
   */
  default int groupDictionaryId() {
    return -1;
  }

  /** Changes whenever {@link #groupDictionaryId}'s numbers start to stand for other values. */
  default long dictionaryEpoch() {
    return 0;
  }

  /** Rows of unknown provenance: every value is checked. */
  static CanonicalRows of(Iterator<InternalRow> rows) {
    return new CanonicalRows() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        return rows.next();
      }

      @Override
      public boolean logitValuesMayBeNull() {
        return true;
      }
    };
  }
}
