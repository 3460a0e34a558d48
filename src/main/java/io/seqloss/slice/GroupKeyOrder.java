package io.seqloss.slice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Spark's ascending order of group keys, for the groups sorted on the driver: column by column,
 * nulls first, strings by their UTF-8 bytes as unsigned values (as Spark's UTF8String compares),
 * numbers and booleans by value. The same order the executor path's {@code orderBy} gives.
 */
final class GroupKeyOrder implements Comparator<List<Object>> {
  static final GroupKeyOrder INSTANCE = new GroupKeyOrder();

  private GroupKeyOrder() {}

  @Override
  public int compare(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = compareValues(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static int compareValues(Object x, Object y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    if (x instanceof String s) {
      return Arrays.compareUnsigned(
          s.getBytes(StandardCharsets.UTF_8), ((String) y).getBytes(StandardCharsets.UTF_8));
    }
    return ((Comparable<Object>) x).compareTo(y);
  }
}
