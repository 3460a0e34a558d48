package io.seqloss.input;

import java.io.Serializable;

/** Why one input row cannot be evaluated: the column at fault and what was found there. */
public record RowProblem(String column, String detail) implements Serializable {

  /** The full message naming where the row is, for errors and for {@code invalid/}. */
  public String describe(String file, long row, String id) {
    return String.format("file %s, row %d (id %s), column '%s': %s", file, row, id, column, detail);
  }
}
