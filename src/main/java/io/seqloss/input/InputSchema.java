package io.seqloss.input;

import io.seqloss.config.ColumnNames;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a corpus's Spark schema against the input contract and resolves the {@link InputLayout}.
 */
public final class InputSchema {
  private InputSchema() {}

  /**
   * Field metadata a source sets on a column it lists but cannot hand to Spark (type {@code void}),
   * holding the column's type in the file, so that the error names the real type.
   */
  public static final String UNREADABLE_TYPE = "seqloss.unreadable_source_type";

  public static InputLayout resolve(StructType schema, ColumnNames columns, String where) {
    for (StructField field : schema.fields()) {
      boolean used =
          field.name().equals(columns.logits())
              || field.name().equals(columns.targets())
              || field.name().equals(columns.weights())
              || field.name().equals(columns.id());
      if (used && field.metadata().contains(UNREADABLE_TYPE)) {
        throw new InvalidInputException(
            String.format(
                "%s: column '%s' has type %s, which seqloss cannot read",
                where, field.name(), field.metadata().getString(UNREADABLE_TYPE)));
      }
    }
    DataType logits =
        require(schema, columns.logits(), where, "array<array<float>> or array<array<double>>");
    DataType logitsElement = arrayElement(arrayElement(logits));
    if (!isOneOf(logitsElement, DataTypes.FloatType, DataTypes.DoubleType)) {
      throw wrongType(
          where, columns.logits(), logits, "array<array<float>> or array<array<double>>");
    }
    DataType targets = require(schema, columns.targets(), where, "array<int> or array<bigint>");
    if (!isOneOf(
        arrayElement(targets),
        DataTypes.IntegerType,
        DataTypes.LongType,
        DataTypes.ShortType,
        DataTypes.ByteType)) {
      throw wrongType(where, columns.targets(), targets, "array<int> or array<bigint>");
    }
    DataType weightsElement = null;
    StructField weightsField = fieldOrNull(schema, columns.weights());
    if (weightsField != null) {
      DataType weights = weightsField.dataType();
      weightsElement = arrayElement(weights);
      if (!isOneOf(
          weightsElement,
          DataTypes.FloatType,
          DataTypes.DoubleType,
          DataTypes.IntegerType,
          DataTypes.LongType,
          DataTypes.ShortType,
          DataTypes.ByteType)) {
        throw wrongType(
            where, columns.weights(), weights, "array<float>, array<double> or array<int>");
      }
    }
    IdKind idKind = IdKind.DERIVED;
    DataType rawIdType = null;
    StructField id = fieldOrNull(schema, columns.id());
    if (id != null) {
      rawIdType = id.dataType();
      if (rawIdType.equals(DataTypes.StringType)) {
        idKind = IdKind.STRING;
      } else if (isOneOf(rawIdType, DataTypes.LongType, DataTypes.IntegerType)) {
        idKind = IdKind.LONG;
      } else {
        throw wrongType(where, columns.id(), rawIdType, "string or bigint (or absent)");
      }
    }
    return new InputLayout(idKind, rawIdType, logitsElement, arrayElement(targets), weightsElement);
  }

  private static DataType require(StructType schema, String name, String where, String expected) {
    StructField field = fieldOrNull(schema, name);
    if (field == null) {
      throw new InvalidInputException(
          String.format(
              "%s: missing column '%s' (expected %s); columns found: %s",
              where, name, expected, String.join(", ", schema.fieldNames())));
    }
    return field.dataType();
  }

  private static StructField fieldOrNull(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The element type of an array, or null type when it is not an array (caught by the caller). */
  private static DataType arrayElement(DataType t) {
    return t instanceof ArrayType a ? a.elementType() : DataTypes.NullType;
  }

  private static boolean isOneOf(DataType t, DataType... allowed) {
    for (DataType a : allowed) {
      if (a.equals(t)) {
        return true;
      }
    }
    return false;
  }

  private static InvalidInputException wrongType(
      String where, String column, DataType found, String expected) {
    return new InvalidInputException(
        String.format(
            "%s: column '%s' has type %s, expected %s",
            where, column, found.simpleString(), expected));
  }
}
