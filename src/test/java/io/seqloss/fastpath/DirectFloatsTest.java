package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.junit.jupiter.api.Test;

class DirectFloatsTest {

  @Test
  void copiesTheStepFromItsOffsetAndReturnsItsMaximum() {
    float[] values = {9f, -1.5f, 2.25f, -0.0f, 7f, 100f};
    double[] out = new double[4];
    assertEquals(7.0, DirectFloats.copyWithMax(values, 1, 4, out), 0.0);
    assertArrayEquals(new double[] {-1.5, 2.25, -0.0, 7.0}, out, 0.0);
  }

  @Test
  void anyNonFiniteValueGivesNaNWhereverItIs() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      for (int at = 0; at < 70; at += 23) { // the first value, inside the vectorised body, the tail
        float[] values = new float[70];
        for (int i = 0; i < values.length; i++) {
          values[i] = i - 35;
        }
        values[at] = bad;
        double max = DirectFloats.copyWithMax(values, 0, values.length, new double[70]);
        assertTrue(Double.isNaN(max), bad + " at " + at + " gave " + max);
      }
    }
  }

  @Test
  void readsTheMemoryBehindSparksOnHeapVector() {
    OnHeapColumnVector vector = new OnHeapColumnVector(8, DataTypes.FloatType);
    for (int i = 0; i < 8; i++) {
      vector.putFloat(i, i * 0.5f - 1);
    }
    double[] out = new double[3];
    double max = new DirectFloats().copyFinite(new ColumnarArray(vector, 4, 3), 3, out);
    assertEquals(2.0, max, 0.0);
    assertArrayEquals(new double[] {1.0, 1.5, 2.0}, out, 0.0);
    vector.putFloat(5, Float.NEGATIVE_INFINITY);
    assertTrue(
        Double.isNaN(new DirectFloats().copyFinite(new ColumnarArray(vector, 4, 3), 3, out)),
        "a non-finite value is left to the caller's per-value checks, which name it");
    vector.close();
  }
}
