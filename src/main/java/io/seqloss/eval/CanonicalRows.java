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
