package io.seqloss.eval;

import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads array elements of the numeric type they have in the files, widened to long or double
 * exactly as Spark's cast to bigint or double would. Targets and weights are read through here so
 * that the query does not need that cast (which would make the scan row-based).
 */
enum NumericElements {
  BYTE(DataTypes.ByteType),
  SHORT(DataTypes.ShortType),
  INT(DataTypes.IntegerType),
  LONG(DataTypes.LongType),
  FLOAT(DataTypes.FloatType),
  DOUBLE(DataTypes.DoubleType);

  private final DataType type;

  NumericElements(DataType type) {
    this.type = type;
  }

  static NumericElements of(DataType type) {
    for (NumericElements kind : values()) {
      if (kind.type.equals(type)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("not a numeric element type: " + type);
  }

  /** An integral element as a long; only for the integral kinds. */
  long readLong(ArrayData array, int i) {
    return switch (this) {
      case BYTE -> array.getByte(i);
      case SHORT -> array.getShort(i);
      case INT -> array.getInt(i);
      case LONG -> array.getLong(i);
      default -> throw new IllegalStateException(this + " is not integral");
    };
  }

  /** Any element as a double: the same value Spark's cast to double gives. */
  double readDouble(ArrayData array, int i) {
    return switch (this) {
      case BYTE -> array.getByte(i);
      case SHORT -> array.getShort(i);
      case INT -> array.getInt(i);
      case LONG -> (double) array.getLong(i);
      case FLOAT -> array.getFloat(i);
      case DOUBLE -> array.getDouble(i);
    };
  }
}
