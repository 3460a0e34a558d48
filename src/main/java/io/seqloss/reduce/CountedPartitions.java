package io.seqloss.reduce;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.TaskContext;

/**
 * The partitions an accumulator's value covers, so that each partition is counted once: Spark
 * applies the updates of every successful attempt of a shuffle-map task (a stage re-run after a
 * lost executor, a speculative copy), and every attempt of a partition computes the same value.
 */
public final class CountedPartitions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Set<Integer> partitions;

  public CountedPartitions() {
    this(new HashSet<>());
  }

  private CountedPartitions(Set<Integer> partitions) {
    this.partitions = partitions;
  }

  public CountedPartitions copy() {
    return new CountedPartitions(new HashSet<>(partitions));
  }

  public boolean isEmpty() {
    return partitions.isEmpty();
  }

  /** Records the current task's partition; outside a task (a driver-side add) nothing. */
  public void addCurrentTask() {
    TaskContext task = TaskContext.get();
    if (task != null) {
      partitions.add(task.partitionId());
    }
  }

  /**
   * Whether an update covering {@code update}'s partitions is to be merged: false for another
   * attempt of partitions already counted, and then they are recorded as counted.
   *
   * @throws IllegalStateException if the update covers counted and uncounted partitions at once
   */
  public boolean admit(CountedPartitions update) {
    if (!update.partitions.isEmpty() && partitions.containsAll(update.partitions)) {
      return false;
    }
    if (!Collections.disjoint(partitions, update.partitions)) {
      throw new IllegalStateException(
          "an accumulator update covers partitions "
              + update.partitions
              + ", some of them already counted: "
              + partitions);
    }
    partitions.addAll(update.partitions);
    return true;
  }
}
