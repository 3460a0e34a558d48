package io.seqloss.slice;

import io.seqloss.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What defines a run's groups: the {@code --group-by} columns with their Spark types (they follow
 * the canonical columns in the evaluator's rows, see {@link #firstColumn}) and the {@code
 * --length-buckets} edges. Resolved on the driver against the corpus's schema, shipped to every
 * task.
 */
public record GroupSpec(
    List<String> columns, List<DataType> types, int[] bucketEdges, int firstColumn)
    implements Serializable {
  /** The name of the derived length slice's column. */
  public static final String LENGTH_BUCKET = "length_bucket";

  private static final List<DataType> SUPPORTED =
      List.of(
          DataTypes.StringType,
          DataTypes.IntegerType,
          DataTypes.LongType,
          DataTypes.BooleanType,
          DataTypes.DateType);

  /**
   * Checks that every column is a top-level column of a supported type; a missing or unsupported
   * column is a usage error naming it.
   */
  public static GroupSpec resolve(
      StructType schema, List<String> columns, List<Integer> edges, int firstColumn) {
    List<DataType> types = new ArrayList<>();
    for (String name : columns) {
      StructField field =
          Arrays.stream(schema.fields())
              .filter(f -> f.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "--group-by column '"
                              + name
                              + "' is not a column of the corpus; "
                              + "its columns are "
                              + Arrays.toString(schema.fieldNames())));
      if (!SUPPORTED.contains(field.dataType())) {
        throw new ConfigException(
            "--group-by column '"
                + name
                + "' has type "
                + field.dataType().simpleString()
                + "; supported are string, int, long, boolean and date");
      }
      types.add(field.dataType());
    }
    return new GroupSpec(
        List.copyOf(columns),
        List.copyOf(types),
        edges.stream().mapToInt(Integer::intValue).toArray(),
        firstColumn);
  }

  public boolean hasBuckets() {
    return bucketEdges.length > 0;
  }

  /** Every key column's name: the group-by columns, then length_bucket when there are buckets. */
  public List<String> keyNames() {
    List<String> names = new ArrayList<>(columns);
    if (hasBuckets()) {
      names.add(LENGTH_BUCKET);
    }
    return names;
  }

  /**
   * The bucket of a sequence with this many non-zero-weight tokens, as text: "[16, 32)", "[64,
   * inf)".
   */
  public String bucketOf(long nonzeroTokens) {
    long low = 0;
    for (int edge : bucketEdges) {
      if (nonzeroTokens < edge) {
        return "[" + low + ", " + edge + ")";
      }
      low = edge;
    }
    return "[" + low + ", inf)";
  }
}
