package io.seqloss.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The driver-side merge of the tasks' group tables: exact sums, a bound on what it holds, and the
 * scan's reused string buffers never leaking into a key.
 */
class GroupTotalsAccumulatorTest {
  private static final GroupSpec SPEC =
      GroupSpec.resolve(
          new StructType(
              new StructField[] {
                DataTypes.createStructField("domain", DataTypes.StringType, true)
              }),
          List.of("domain"),
          List.of(),
          0);

  private static InternalRow row(String domain) {
    return new GenericInternalRow(
        new Object[] {domain == null ? null : UTF8String.fromString(domain)});
  }

  /** A task's table: each listed domain gets one sequence of loss {@code loss} and weight 1. */
  private static GroupTable table(int limit, double loss, String... domains) {
    GroupTable t = GroupTable.forDriver(SPEC, limit);
    for (String d : domains) {
      t.of(row(d), 1).addSequence(loss, 1.0, 1.0, 1, 1, 0.0, 0.0);
    }
    return t;
  }

  private static GroupTotalsAccumulator taskUpdate(int limit, GroupTable t) {
    GroupTotalsAccumulator a = new GroupTotalsAccumulator(limit);
    a.add(t);
    return a;
  }

  @Test
  void mergesTasksExactlyInAnyOrder() {
    // 0.1 + 1e17 - 1e17 is 0.1 exactly only if nothing is rounded on the way
    GroupTotalsAccumulator ab = new GroupTotalsAccumulator(10);
    ab.merge(taskUpdate(10, table(10, 0.1, "news", "code")));
    ab.merge(taskUpdate(10, table(10, 1e17, "news")));
    ab.merge(taskUpdate(10, table(10, -1e17, "news", null)));
    Map<List<Object>, GroupTotals> groups = ab.value();
    assertEquals(3, groups.size());
    GroupTotals news = groups.get(java.util.Arrays.asList("news"));
    assertEquals(0.1, news.moments().numerator());
    assertEquals(3, news.sequences());
    assertEquals(1, groups.get(java.util.Arrays.asList((Object) null)).sequences());
    assertFalse(ab.overflowed());
  }

  @Test
  void keysAreCopiedOutOfTheScansBuffer() {
    byte[] buffer = "news".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    UTF8String reused = UTF8String.fromBytes(buffer);
    GroupTable t = GroupTable.forDriver(SPEC, 10);
    t.of(new GenericInternalRow(new Object[] {reused}), 1).addInvalidRow();
    buffer[0] = 'v'; // the scan moves on and overwrites its buffer: "vews"
    t.of(new GenericInternalRow(new Object[] {reused}), 1).addInvalidRow();
    assertEquals(
        Map.of(List.of("news"), 1L, List.of("vews"), 1L),
        t.toMap().entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> e.getValue().invalidRows())));
  }

  @Test
  void overflowsPastTheLimitAndThenHoldsNothing() {
    GroupTable tooMany = table(2, 1.0, "a", "b", "c");
    assertTrue(tooMany.overflowed(), "a task with 3 groups over a limit of 2");
    assertTrue(tooMany.toMap().isEmpty());
    GroupTotalsAccumulator merged = new GroupTotalsAccumulator(2);
    merged.merge(taskUpdate(2, table(2, 1.0, "a", "b")));
    assertFalse(merged.overflowed());
    merged.merge(taskUpdate(2, table(2, 1.0, "c"))); // 3 groups in all
    assertTrue(merged.overflowed());
    assertTrue(merged.value().isEmpty(), "nothing is kept once overflowed");
    merged.merge(taskUpdate(2, table(2, 1.0, "a")));
    assertTrue(merged.value().isEmpty());
  }

  @Test
  void sumOfAllKeepsEverySequenceWhateverBecameOfItsGroup() {
    // held groups, groups cleared by the overflow, and rows sent nowhere after it: 6 sequences
    GroupTable overflowed = table(2, 0.25, "a", "b", "a", "c", "d", "a");
    assertTrue(overflowed.overflowed());
    GroupTotals all = overflowed.sumOfAll();
    assertEquals(6, all.sequences());
    assertEquals(1.5, all.moments().numerator()); // 6 x 0.25, by hand
    assertEquals(6.0, all.weightSum());
    assertEquals(6, all.tokens());
    // a table handed on as partial rows: the drained groups stay in the sum
    GroupTable drained = new GroupTable(SPEC);
    drained.of(row("a"), 1).addSequence(0.1, 2.0, 2.0, 3, 2, 1.0, 2.0);
    drained.drain();
    drained.of(row("b"), 1).addSequence(1e17, 1.0, 1.0, 1, 1, 0.0, 1.0);
    drained.of(row("a"), 1).addSequence(-1e17, 1.0, 1.0, 1, 1, 1.0, 1.0);
    GroupTotals sum = drained.sumOfAll();
    assertEquals(3, sum.sequences());
    assertEquals(0.1, sum.moments().numerator()); // exactly: 0.1 + 1e17 - 1e17
    assertEquals(4.0, sum.weightSum());
    assertEquals(2.0, sum.correctSum());
    assertEquals(4.0, sum.topKSum());
    assertEquals(5, sum.tokens());
    assertEquals(2, drained.toMap().size(), "a and b held since the drain");
  }
}
