package io.seqloss.slice;

import io.seqloss.reduce.CountedPartitions;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Carries each task's group totals to the driver alongside the evaluation pass, while there are few
 * groups: once the merged groups (or one task's) pass the limit it drops them and only remembers
 * that it overflowed, so the driver never holds more than the limit; the run then merges the groups
 * on the executors instead. Like {@code CorpusTotalsAccumulator}, each update names its partition
 * and a partition is counted once; merging is exact, so the order tasks finish in does not matter.
 */
public final class GroupTotalsAccumulator
    extends AccumulatorV2<GroupTable, Map<List<Object>, GroupTotals>> {
  private static final long serialVersionUID = 1L;

  private final int limit;
  private Map<List<Object>, GroupTotals> groups = new HashMap<>();
  private CountedPartitions partitions = new CountedPartitions();
  private boolean overflowed;

  /** Holds at most {@code limit} groups. */
  public GroupTotalsAccumulator(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the group limit must be >= 0, got " + limit);
    }
    this.limit = limit;
  }

  /** The largest number of groups a task's table may hold before the accumulator overflows. */
  public int limit() {
    return limit;
  }

  /**
   * Whether there were more groups than the limit: {@link #value} is then empty and meaningless.
   */
  public boolean overflowed() {
    return overflowed;
  }

  @Override
  public boolean isZero() {
    return groups.isEmpty() && partitions.isEmpty() && !overflowed;
  }

  @Override
  public AccumulatorV2<GroupTable, Map<List<Object>, GroupTotals>> copy() {
    GroupTotalsAccumulator copy = new GroupTotalsAccumulator(limit);
    groups.forEach((key, totals) -> copy.groups.put(key, GroupTotals.fromBytes(totals.toBytes())));
    copy.partitions = partitions.copy();
    copy.overflowed = overflowed;
    return copy;
  }

  @Override
  public void reset() {
    groups = new HashMap<>();
    partitions = new CountedPartitions();
    overflowed = false;
  }

  /** Adds the table of the current task's partition (called once per task). */
  @Override
  public void add(GroupTable table) {
    partitions.addCurrentTask();
    if (table.overflowed()) {
      overflow();
    } else if (!overflowed) {
      mergeGroups(table.toMap());
    }
  }

  @Override
  public void merge(AccumulatorV2<GroupTable, Map<List<Object>, GroupTotals>> other) {
    GroupTotalsAccumulator update = (GroupTotalsAccumulator) other;
    if (!partitions.admit(update.partitions)) {
      return; // another attempt of partitions already counted
    }
    if (update.overflowed) {
      overflow();
    } else if (!overflowed) {
      mergeGroups(update.groups);
    }
  }

  private void mergeGroups(Map<List<Object>, GroupTotals> more) {
    for (Map.Entry<List<Object>, GroupTotals> e : more.entrySet()) {
      GroupTotals held = groups.get(e.getKey());
      if (held == null) {
        groups.put(e.getKey(), e.getValue()); // a finished task's or update's, not changed again
      } else {
        held.merge(e.getValue());
      }
    }
    if (groups.size() > limit) {
      overflow();
    }
  }

  private void overflow() {
    overflowed = true;
    groups = new HashMap<>();
  }

  @Override
  public Map<List<Object>, GroupTotals> value() {
    return Collections.unmodifiableMap(groups);
  }
}
