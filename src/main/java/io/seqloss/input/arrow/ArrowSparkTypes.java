package io.seqloss.input.arrow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Maps Arrow types to the Spark types that Spark's {@code ArrowColumnVector} can read in place:
 * signed integers, float32/64, bool, utf8 (and large_utf8), list and struct of those. Anything else
 * (float16, unsigned integers, large_list, dictionary-encoded columns, ...) cannot be handed to
 * Spark without a conversion, so such a column is left out of the table and remembered with its
 * Arrow type, so that the error for a run that needs it can say what it found.
 */
final class ArrowSparkTypes {
  private ArrowSparkTypes() {}

  /** A schema split into the columns Spark can read and the others (name to Arrow type). */
  record Mapped(StructType readable, Map<String, String> unreadable) {}

  static Mapped map(Schema schema) {
    List<StructField> readable = new ArrayList<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    for (Field field : schema.getFields()) {
      DataType type = sparkType(field);
      if (type == null) {
        unreadable.put(field.getName(), describe(field));
      } else {
        readable.add(DataTypes.createStructField(field.getName(), type, true));
      }
    }
    return new Mapped(new StructType(readable.toArray(StructField[]::new)), unreadable);
  }

  /** The Spark type of a field, or null when ArrowColumnVector cannot read it. */
  static DataType sparkType(Field field) {
    if (field.getDictionary() != null) {
      return null;
    }
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Int i) {
      if (!i.getIsSigned()) {
        return null;
      }
      return switch (i.getBitWidth()) {
        case 8 -> DataTypes.ByteType;
        case 16 -> DataTypes.ShortType;
        case 32 -> DataTypes.IntegerType;
        case 64 -> DataTypes.LongType;
        default -> null;
      };
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.SINGLE
          ? DataTypes.FloatType
          : f.getPrecision() == FloatingPointPrecision.DOUBLE ? DataTypes.DoubleType : null;
    }
    if (type instanceof ArrowType.Bool) {
      return DataTypes.BooleanType;
    }
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
      return DataTypes.StringType;
    }
    if (type instanceof ArrowType.List) {
      Field child = field.getChildren().get(0);
      DataType element = sparkType(child);
      return element == null ? null : DataTypes.createArrayType(element, true);
    }
    if (type instanceof ArrowType.Struct) {
      List<StructField> fields = new ArrayList<>();
      for (Field child : field.getChildren()) {
        DataType childType = sparkType(child);
        if (childType == null) {
          return null;
        }
        fields.add(DataTypes.createStructField(child.getName(), childType, true));
      }
      return DataTypes.createStructType(fields);
    }
    return null;
  }

  /** An Arrow type as users see it in pyarrow, e.g. {@code large_list<list<halffloat>>}. */
  static String describe(Field field) {
    String base = field.getType().toString();
    if (field.getDictionary() != null) {
      return "dictionary<" + base + ">";
    }
    if (field.getChildren().isEmpty()) {
      return base;
    }
    List<String> children = new ArrayList<>();
    for (Field child : field.getChildren()) {
      children.add(describe(child));
    }
    return base + "<" + String.join(", ", children) + ">";
  }
}
