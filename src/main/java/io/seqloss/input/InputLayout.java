package io.seqloss.input;

import java.io.Serializable;

/**
 * The resolved shape of the canonical rows the evaluator reads, in this fixed column order:
 * id, logits, targets (array of long), weights (array of double, or null when absent), file, row.
 */
public record InputLayout(IdKind idKind, boolean logitsAreDouble, boolean hasWeights) implements Serializable {
  public static final int ID = 0;
  public static final int LOGITS = 1;
  public static final int TARGETS = 2;
  public static final int WEIGHTS = 3;
  public static final int FILE = 4;
  public static final int ROW = 5;

  /** Spark type of the id in every output. */
  public org.apache.spark.sql.types.DataType idType() {
    return idKind == IdKind.LONG
        ? org.apache.spark.sql.types.DataTypes.LongType
        : org.apache.spark.sql.types.DataTypes.StringType;
  }
}
