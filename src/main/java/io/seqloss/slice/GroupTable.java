package io.seqloss.slice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A task's per-group partial totals. At most {@link #MAX_GROUPS} groups are held; past that the
 * table is handed on as partial rows and starts afresh, so a column of a million values costs a
 * task bounded memory (the partials of one group are merged exactly later, in any order).
 */
public final class GroupTable {
  /** Groups held in a task before its partials are handed on. */
  public static final int MAX_GROUPS = 10_000;

  /** The column of a partial row holding {@link GroupTotals#toBytes}. */
  static final String PARTIAL = "_partial";

  private final GroupSpec spec;
  private final Map<Key, GroupTotals> groups = new HashMap<>();

  public GroupTable(GroupSpec spec) {
    this.spec = spec;
  }

  /** The group of a valid sequence with this many non-zero-weight tokens. */
  public GroupTotals of(InternalRow row, long nonzeroTokens) {
    return groups.computeIfAbsent(
        key(row, spec.hasBuckets() ? spec.bucketOf(nonzeroTokens) : null), k -> new GroupTotals());
  }

  /**
   * The group of an invalid row: its group columns as read, and no length bucket (its length is
   * unknown).
   */
  public GroupTotals ofInvalid(InternalRow row) {
    return groups.computeIfAbsent(key(row, null), k -> new GroupTotals());
  }

  public boolean isFull() {
    return groups.size() >= MAX_GROUPS;
  }

  /** Hands on every group as a partial row ({@link #partialSchema}) and empties the table. */
  public Iterator<Row> drain() {
    List<Row> rows = new ArrayList<>(groups.size());
    for (Map.Entry<Key, GroupTotals> e : groups.entrySet()) {
      Object[] values = Arrays.copyOf(e.getKey().values, e.getKey().values.length + 1);
      values[values.length - 1] = e.getValue().toBytes();
      rows.add(RowFactory.create(values));
    }
    groups.clear();
    return rows.iterator();
  }

  private Key key(InternalRow row, String bucket) {
    return new Key(keyValues(spec, row, bucket));
  }

  /**
   * A row's group key as partial rows (and per_sequence/ rows of a grouped run) carry it: the group
   * columns' values (a date as its day number), then the length bucket when there are buckets.
   */
  public static Object[] keyValues(GroupSpec spec, InternalRow row, String bucket) {
    int n = spec.columns().size();
    Object[] values = new Object[n + (spec.hasBuckets() ? 1 : 0)];
    for (int g = 0; g < n; g++) {
      int column = spec.firstColumn() + g;
      values[g] = row.isNullAt(column) ? null : read(row, column, spec.types().get(g));
    }
    if (spec.hasBuckets()) {
      values[n] = bucket;
    }
    return values;
  }

  private static Object read(InternalRow row, int column, DataType type) {
    if (DataTypes.StringType.equals(type)) {
      return row.getUTF8String(column).toString(); // a copy: the scan reuses its buffers
    } else if (DataTypes.LongType.equals(type)) {
      return row.getLong(column);
    } else if (DataTypes.BooleanType.equals(type)) {
      return row.getBoolean(column);
    }
    return row.getInt(column); // int, and date as days since the epoch
  }

  /**
   * The rows {@link #drain} hands on: the key columns (a date as its day number), then the partial.
   */
  public static StructType partialSchema(GroupSpec spec) {
    List<StructField> fields = keyFields(spec);
    fields.add(DataTypes.createStructField(PARTIAL, DataTypes.BinaryType, false));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /**
   * The key columns of {@link #keyValues}: the group columns (a date as its day number),
   * length_bucket.
   */
  public static List<StructField> keyFields(GroupSpec spec) {
    List<StructField> fields = new ArrayList<>();
    for (int g = 0; g < spec.columns().size(); g++) {
      DataType type = spec.types().get(g);
      fields.add(
          DataTypes.createStructField(
              spec.columns().get(g),
              DataTypes.DateType.equals(type) ? DataTypes.IntegerType : type,
              true));
    }
    if (spec.hasBuckets()) {
      fields.add(DataTypes.createStructField(GroupSpec.LENGTH_BUCKET, DataTypes.StringType, true));
    }
    return fields;
  }

  /** A group's key values, compared by value. */
  private record Key(Object[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
