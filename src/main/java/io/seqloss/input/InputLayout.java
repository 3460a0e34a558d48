package io.seqloss.input;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The resolved shape of the canonical rows the evaluator reads, in this fixed column order: id,
 * logits, targets, weights, file, row. The columns keep the element types they have in the files
 * (recorded here) instead of being cast to long and double in the query: a cast is a row-by-row
 * projection, and it would stop Spark's Parquet scan from handing its columnar batches straight to
 * the evaluator. The evaluator widens each value itself, exactly as the cast would.
 *
 * <p>{@code id} is null when the ids are {@link IdKind#DERIVED} (the evaluator builds them from
 * file and row only when it needs one); {@code weights} is null when the corpus has no weights
 * column.
 *
 * @param rawIdType Spark type of the id column in the files, or null when ids are derived
 * @param logitsElementType float or double
 * @param targetsElementType byte, short, int or long
 * @param weightsElementType float, double, byte, short, int or long; null when there are no weights
 */
public record InputLayout(
    IdKind idKind,
    DataType rawIdType,
    DataType logitsElementType,
    DataType targetsElementType,
    DataType weightsElementType)
    implements Serializable {
  public static final int ID = 0;
  public static final int LOGITS = 1;
  public static final int TARGETS = 2;
  public static final int WEIGHTS = 3;
  public static final int FILE = 4;
  public static final int ROW = 5;

  /** How many canonical columns there are. */
  public static final int WIDTH = 6;

  public boolean logitsAreDouble() {
    return DataTypes.DoubleType.equals(logitsElementType);
  }

  public boolean hasWeights() {
    return weightsElementType != null;
  }

  /** Spark type of the id in every output. */
  public DataType idType() {
    return idKind == IdKind.LONG ? DataTypes.LongType : DataTypes.StringType;
  }
}
