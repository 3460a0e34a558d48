package io.seqloss.compare;

import io.seqloss.compare.ComparisonResult.Increase;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The N paired sequences whose loss rose most from A to B (largest L_B − L_A), bounded to N entries
 * per partition and merged once on the driver. The order is total (increase descending, then id
 * ascending; ids are unique in a comparison), so the list is the same in any partitioning. A NaN
 * increase (a sequence without weight) is never listed.
 */
final class LargestIncreases implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Largest increase first. A class, not a lambda: the queue travels to the driver. */
  private static final class LargestFirst implements Comparator<Increase>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Increase a, Increase b) {
      int c = Double.compare(b.delta(), a.delta());
      return c != 0 ? c : ((Comparable) a.id()).compareTo(b.id());
    }
  }

  /** The kept entry to drop next (the smallest increase) first. */
  private static final class SmallestFirst implements Comparator<Increase>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Increase a, Increase b) {
      return ORDER.compare(b, a);
    }
  }

  static final Comparator<Increase> ORDER = new LargestFirst();

  private final int limit;
  private final PriorityQueue<Increase> kept;

  LargestIncreases(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("--report-worst must be at least 0, got " + limit);
    }
    this.limit = limit;
    this.kept = new PriorityQueue<>(Math.max(1, limit + 1), new SmallestFirst());
  }

  /** Offers one pair; its entry is made only when it may be kept. */
  void offer(Object id, double baselineLoss, double candidateLoss, double weightSum) {
    double delta = candidateLoss - baselineLoss;
    if (limit == 0 || Double.isNaN(delta)) {
      return;
    }
    if (kept.size() >= limit && Double.compare(delta, kept.peek().delta()) < 0) {
      return;
    }
    add(new Increase(id, delta, baselineLoss, candidateLoss, weightSum));
  }

  private void add(Increase e) {
    kept.add(e);
    if (kept.size() > limit) {
      kept.poll();
    }
  }

  void merge(LargestIncreases other) {
    for (Increase e : other.kept) {
      add(e);
    }
  }

  /** The kept pairs, largest increase first. */
  List<Increase> largestFirst() {
    List<Increase> list = new ArrayList<>(kept);
    list.sort(ORDER);
    return list;
  }
}
