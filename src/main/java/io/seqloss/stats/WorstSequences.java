package io.seqloss.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The N sequences with the highest loss, bounded to N entries per partition and merged once on the
 * driver. The order is total (loss descending, then id, tokens and weight ascending), so the list
 * is the same whatever the partitioning.
 */
public final class WorstSequences implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Worst first. */
  static final Comparator<Entry> ORDER = new WorstFirst();

  /** A class, not a lambda: the queue holding it travels from the executors to the driver. */
  private static final class WorstFirst implements Comparator<Entry>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Ids of one run are all longs or all strings; rows with a null id are invalid and never
     * listed.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Entry a, Entry b) {
      int c = Double.compare(b.loss(), a.loss());
      if (c == 0) {
        c = ((Comparable) a.id()).compareTo(b.id());
      }
      if (c == 0) {
        c = Long.compare(a.tokens(), b.tokens());
      }
      return c != 0 ? c : Double.compare(a.weightSum(), b.weightSum());
    }

    @Override
    public Comparator<Entry> reversed() {
      return new LeastBadFirst();
    }
  }

  private static final class LeastBadFirst implements Comparator<Entry>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Entry a, Entry b) {
      return ORDER.compare(b, a);
    }
  }

  private final int limit;

  /** The kept entries, the one to drop next (the least bad) at the head. */
  private final PriorityQueue<Entry> kept;

  public WorstSequences(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException(
          "the number of worst sequences must be at least 0, got " + limit);
    }
    this.limit = limit;
    this.kept = new PriorityQueue<>(Math.max(1, limit + 1), ORDER.reversed());
  }

  /**
   * True when a sequence of this loss may enter the list: the caller then makes its id (which
   * costs) and {@link #offer}s it.
   */
  public boolean mayKeep(double loss) {
    if (limit == 0) {
      return false;
    }
    return kept.size() < limit || Double.compare(loss, kept.peek().loss()) >= 0;
  }

  public void offer(Entry entry) {
    if (limit == 0) {
      return;
    }
    kept.add(entry);
    if (kept.size() > limit) {
      kept.poll();
    }
  }

  public void merge(WorstSequences other) {
    for (Entry e : other.kept) {
      offer(e);
    }
  }

  /** The kept sequences, worst first. */
  public List<Entry> worstFirst() {
    List<Entry> list = new ArrayList<>(kept);
    list.sort(ORDER);
    return list;
  }

  /**
   * One sequence: its id (a long or a string), its loss (Σ w·loss over its denominator), length,
   * weight sum and accuracy.
   */
  public record Entry(Object id, double loss, long tokens, double weightSum, double accuracy)
      implements Serializable {}
}
