package io.seqloss.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Spark applies the accumulator updates of every successful attempt of a partition's task when a
 * stage runs again (a lost executor's map outputs, a speculative copy, a second job over the same
 * RDD); the totals must count each partition once.
 */
class CorpusTotalsAccumulatorTest extends SparkTestBase {

  @Test
  void aPartitionComputedTwiceIsCountedOnce() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(session().sparkContext());
    CorpusTotalsAccumulator accumulator = new CorpusTotalsAccumulator();
    sc.sc().register(accumulator, "test totals");
    // 3 partitions of 2, 2 and 3 sequences of length 4, loss sum 1.5 and weight sum 2 each.
    JavaRDD<Integer> sequences = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7), 3);
    JavaRDD<Integer> counted =
        sequences.mapPartitions(
            it -> {
              CorpusTotals totals = new CorpusTotals();
              it.forEachRemaining(b -> totals.addSequence(1.5, 2.0, 4, 4, false));
              accumulator.add(totals);
              return List.<Integer>of().iterator();
            });

    counted.count();
    counted.count(); // the second job computes every partition again
    counted.repartition(2).count(); // and again, as the map stage of a shuffle

    CorpusTotals totals = accumulator.value();
    assertEquals(7, totals.sequences());
    assertEquals(28, totals.tokens());
    assertEquals(7 * 1.5, totals.lossSum(), 0.0);
    assertEquals(7 * 2.0, totals.weightSum(), 0.0);
  }
}
