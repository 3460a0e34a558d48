package io.seqloss.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.seqloss.input.InputLayout;
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
 * Groups looked up by their source's dictionary id: an id names a group only within its epoch, and
 * only where the id alone decides the group (one group column, no length buckets).
 */
class GroupTableDictionaryIdsTest {
  private static GroupSpec spec(List<Integer> buckets) {
    StructField[] fields = new StructField[InputLayout.WIDTH + 1];
    for (int i = 0; i < InputLayout.WIDTH; i++) {
      fields[i] = DataTypes.createStructField("c" + i, DataTypes.StringType, true);
    }
    fields[InputLayout.WIDTH] = DataTypes.createStructField("domain", DataTypes.StringType, true);
    return GroupSpec.resolve(new StructType(fields), List.of("domain"), buckets, InputLayout.WIDTH);
  }

  private static InternalRow row(String domain) {
    Object[] values = new Object[InputLayout.WIDTH + 1];
    values[InputLayout.WIDTH] = UTF8String.fromString(domain);
    return new GenericInternalRow(values);
  }

  @Test
  void anIdSeenInTheSameEpochGivesItsGroupWithoutReadingTheKey() {
    GroupTable t = GroupTable.forDriver(spec(List.of()), 100);
    GroupTotals news = t.of(row("news"), 3, 0, 1);
    // same epoch, same id: the source vouches for the value, so the row is not read
    assertSame(news, t.of(row("something else"), 3, 0, 1));
    assertEquals(Map.of(List.of("news"), news), t.toMap());
  }

  @Test
  void anIdMeansAnotherValueInAnotherEpoch() {
    GroupTable t = GroupTable.forDriver(spec(List.of()), 100);
    GroupTotals news = t.of(row("news"), 3, 0, 1);
    GroupTotals code = t.of(row("code"), 3, 0, 2); // the next batch's dictionary
    assertNotSame(news, code);
    assertSame(news, t.of(row("news"), 3, 7, 2)); // a new id for a known value: the same group
    assertEquals(2, t.toMap().size());
  }

  @Test
  void noIdOrLengthBucketsReadTheKey() {
    GroupTable t = GroupTable.forDriver(spec(List.of()), 100);
    GroupTotals news = t.of(row("news"), 3, -1, 1);
    assertNotSame(news, t.of(row("code"), 3, -1, 1));
    GroupTable bucketed = GroupTable.forDriver(spec(List.of(5)), 100);
    GroupTotals short1 = bucketed.of(row("news"), 3, 0, 1);
    assertNotSame(short1, bucketed.of(row("news"), 9, 0, 1), "[5, inf) is another group");
  }

  @Test
  void aDrainedTableForgetsItsIds() {
    GroupTable t = new GroupTable(spec(List.of()));
    GroupTotals before = t.of(row("news"), 3, 0, 1);
    before.addInvalidRow();
    t.drain().forEachRemaining(r -> {});
    GroupTotals after = t.of(row("news"), 3, 0, 1);
    assertNotSame(before, after, "the drained group was handed on; a new one starts");
    assertEquals(0, after.invalidRows());
  }
}
