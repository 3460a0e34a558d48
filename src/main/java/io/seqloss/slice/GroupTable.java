package io.seqloss.slice;

import io.seqloss.input.InputLayout;
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
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A task's per-group partial totals, in one of two modes. Handed on as partial rows: at most {@link
 * #MAX_GROUPS} groups are held, past that the table is drained and starts afresh, so a column of a
 * million values costs a task bounded memory. Sent to the driver ({@link #forDriver}): past its
 * limit the table gives up and only remembers that it overflowed (the run then merges on the
 * executors). Either way the partials of one group are merged exactly later, in any order.
 */
public final class GroupTable {
  /** Groups held in a task before its partials are handed on. */
  public static final int MAX_GROUPS = 10_000;

  /** The column of a partial row holding {@link GroupTotals#toBytes}. */
  static final String PARTIAL = "_partial";

  /**
   * Dictionary ids remembered (1 MB for both arrays); a larger id, from a dictionary of more
   * values, finds its group by its key.
   */
  private static final int MAX_DICTIONARY_IDS = 1 << 16;

  private static final long NO_EPOCH = Long.MIN_VALUE;

  private final GroupSpec spec;
  private final int limit;
  private final boolean drains;
  private final Map<Key, GroupTotals> groups = new HashMap<>();

  /**
   * Where an overflowed table's rows go: in no group (the executor merge counts them), but in
   * {@link #sumOfAll}.
   */
  private final GroupTotals discarded = new GroupTotals();

  /** The sums of groups no longer held: drained, or cleared when the table overflowed. */
  private final GroupTotals retired = new GroupTotals();

  private boolean overflowed;

  /**
   * Groups by their source's dictionary id ({@link #of(InternalRow, long, int, long)}), valid while
   * {@code epochs[id]} is the current epoch; emptied whenever the table is.
   */
  private GroupTotals[] byDictionaryId = new GroupTotals[0];

  private long[] epochs = new long[0];

  private GroupTable(GroupSpec spec, int limit, boolean drains) {
    this.spec = spec;
    this.limit = limit;
    this.drains = drains;
  }

  /** A table handed on as partial rows ({@link #drain}) whenever it is {@link #isFull}. */
  public GroupTable(GroupSpec spec) {
    this(spec, MAX_GROUPS, true);
  }

  /** A table for {@link GroupTotalsAccumulator}: it overflows past {@code limit} groups. */
  public static GroupTable forDriver(GroupSpec spec, int limit) {
    return new GroupTable(spec, limit, false);
  }

  /** The group of a valid sequence with this many non-zero-weight tokens. */
  public GroupTotals of(InternalRow row, long nonzeroTokens) {
    return lookUp(row, spec.hasBuckets() ? spec.bucketOf(nonzeroTokens) : null);
  }

  /**
   * {@link #of(InternalRow, long)} for a row whose first group column its source numbered with
   * {@code dictionaryId} (-1: not numbered) in {@code epoch}: a number seen before in the same
   * epoch gives its group without reading the key (a string's decode, its hash and comparison were
   * most of a narrow row's group cost). Only with a single group column and no length buckets,
   * where the number alone decides the group.
   */
  public GroupTotals of(InternalRow row, long nonzeroTokens, int dictionaryId, long epoch) {
    if (dictionaryId < 0
        || dictionaryId >= MAX_DICTIONARY_IDS
        || spec.columns().size() != 1
        || spec.firstColumn() != InputLayout.WIDTH
        || spec.hasBuckets()) {
      return of(row, nonzeroTokens);
    }
    if (dictionaryId < byDictionaryId.length && epochs[dictionaryId] == epoch) {
      return byDictionaryId[dictionaryId];
    }
    GroupTotals totals = of(row, nonzeroTokens);
    if (dictionaryId >= byDictionaryId.length) {
      int size = Math.min(MAX_DICTIONARY_IDS, Math.max(dictionaryId + 1, 2 * epochs.length));
      byDictionaryId = Arrays.copyOf(byDictionaryId, size);
      int old = epochs.length;
      epochs = Arrays.copyOf(epochs, size);
      Arrays.fill(epochs, old, size, NO_EPOCH);
    }
    byDictionaryId[dictionaryId] = totals;
    epochs[dictionaryId] = epoch;
    return totals;
  }

  private void forgetDictionaryIds() {
    Arrays.fill(epochs, NO_EPOCH);
    Arrays.fill(byDictionaryId, null);
  }

  /**
   * The group of an invalid row: its group columns as read, and no length bucket (its length is
   * unknown).
   */
  public GroupTotals ofInvalid(InternalRow row) {
    return lookUp(row, null);
  }

  /**
   * Looks the row's key up as the scan hands it (strings as the scan's own bytes, no copy), and
   * copies it only for a new group: most rows belong to a group already held.
   */
  private GroupTotals lookUp(InternalRow row, String bucket) {
    if (overflowed) {
      return discarded;
    }
    Key probe = new Key(rawKeyValues(spec, row, bucket));
    GroupTotals totals = groups.get(probe);
    if (totals == null) {
      if (!drains && groups.size() >= limit) {
        overflowed = true;
        retireAll();
        groups.clear();
        forgetDictionaryIds();
        return discarded;
      }
      totals = new GroupTotals();
      groups.put(probe.copy(), totals);
    }
    return totals;
  }

  public boolean isFull() {
    return drains && groups.size() >= limit;
  }

  /** Whether a {@link #forDriver} table met more groups than its limit. */
  public boolean overflowed() {
    return overflowed;
  }

  /** Hands on every group as a partial row ({@link #partialSchema}) and empties the table. */
  public Iterator<Row> drain() {
    List<Row> rows = new ArrayList<>(groups.size());
    for (Map.Entry<Key, GroupTotals> e : groups.entrySet()) {
      Object[] values = e.getKey().external();
      values = Arrays.copyOf(values, values.length + 1);
      values[values.length - 1] = e.getValue().toBytes();
      rows.add(RowFactory.create(values));
    }
    retireAll();
    groups.clear();
    forgetDictionaryIds();
    return rows.iterator();
  }

  private void retireAll() {
    for (GroupTotals totals : groups.values()) {
      retired.merge(totals);
    }
  }

  /**
   * The sums of every sequence this table was given, whatever became of its groups (held, drained,
   * or dropped when it overflowed): the task's corpus sums in a grouped run. A new object.
   */
  public GroupTotals sumOfAll() {
    GroupTotals all = new GroupTotals().merge(retired).merge(discarded);
    for (GroupTotals totals : groups.values()) {
      all.merge(totals);
    }
    return all;
  }

  /**
   * The groups with their keys as {@link #keyValues} gives them (strings as String), for the
   * driver.
   */
  public Map<List<Object>, GroupTotals> toMap() {
    Map<List<Object>, GroupTotals> map = new HashMap<>();
    for (Map.Entry<Key, GroupTotals> e : groups.entrySet()) {
      map.put(Arrays.asList(e.getKey().external()), e.getValue());
    }
    return map;
  }

  /** The key with strings as the scan's UTF8String (valid until the next row is read). */
  private static Object[] rawKeyValues(GroupSpec spec, InternalRow row, String bucket) {
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

  /**
   * A row's group key as partial rows (and per_sequence/ rows of a grouped run) carry it: the group
   * columns' values (a date as its day number), then the length bucket when there are buckets.
   */
  public static Object[] keyValues(GroupSpec spec, InternalRow row, String bucket) {
    return new Key(rawKeyValues(spec, row, bucket)).external();
  }

  /** A group column's value as the scan hands it: a string as the scan's own UTF8String. */
  private static Object read(InternalRow row, int column, DataType type) {
    if (DataTypes.StringType.equals(type)) {
      return row.getUTF8String(column);
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

  /** A group's key values, compared by value; strings are UTF8String, compared by their bytes. */
  private record Key(Object[] values) {
    /** The key with its strings copied out of the scan's buffers. */
    Key copy() {
      Object[] copied = values.clone();
      for (int i = 0; i < copied.length; i++) {
        if (copied[i] instanceof UTF8String s) {
          copied[i] = s.copy(); // always a fresh array (clone may share one)
        }
      }
      return new Key(copied);
    }

    /** The values as outputs carry them: strings as String. */
    Object[] external() {
      Object[] out = values.clone();
      for (int i = 0; i < out.length; i++) {
        if (out[i] instanceof UTF8String s) {
          out[i] = s.toString();
        }
      }
      return out;
    }

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
