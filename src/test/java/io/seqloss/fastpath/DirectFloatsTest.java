package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.catalyst.util.GenericArrayData;
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

  /** A step {@link DirectFloats#openSteps} declined (here: on its own) is read through the API. */
  @Test
  void copiesAStepThatWasNotOpenedThroughThePublicApi() {
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

  /**
   * Rows of steps as Spark's vectorized reader leaves them: a vector of arrays whose child holds
   * every step's floats, each step at the offset and length the parent records.
   */
  @Test
  void readsEachStepOfASequenceFromTheVectorsOfItsSteps() {
    OnHeapColumnVector steps =
        new OnHeapColumnVector(6, DataTypes.createArrayType(DataTypes.FloatType));
    OnHeapColumnVector values = (OnHeapColumnVector) steps.getChild(0);
    values.reserve(12);
    for (int i = 0; i < 12; i++) {
      values.putFloat(i, i - 5.5f);
    }
    steps.putArray(0, 0, 2); // another sequence's step
    steps.putArray(1, 2, 3);
    steps.putNull(2);
    steps.putArray(3, 5, 3);
    steps.putArray(4, 10, 2); // two values only
    steps.putArray(5, 100, 4); // past the floats held: the vector's word is not trusted
    DirectFloats floats = new DirectFloats();
    assertTrue(floats.openSteps(new ColumnarArray(steps, 1, 5)));
    assertFalse(floats.stepIsNull(0));
    assertTrue(floats.stepIsNull(1));
    assertEquals(3, floats.stepLength(0));
    assertEquals(3, floats.stepLength(2));
    assertEquals(2, floats.stepLength(3));
    double[] out = new double[4];
    assertEquals(-1.5, floats.copyStep(0, 3, out), 0.0);
    assertArrayEquals(new double[] {-3.5, -2.5, -1.5}, java.util.Arrays.copyOf(out, 3), 0.0);
    assertEquals(1.5, floats.copyStep(2, 3, out), 0.0);
    assertArrayEquals(new double[] {-0.5, 0.5, 1.5}, java.util.Arrays.copyOf(out, 3), 0.0);
    assertTrue(Double.isNaN(floats.copyStep(4, 4, out)), "offset 100 is beyond the floats");
    values.putFloat(6, Float.NaN);
    assertTrue(Double.isNaN(floats.copyStep(2, 3, out)), "left to the per-value checks");
    steps.close();
  }

  @Test
  void stepsThatAreNotInSparksOnHeapVectorsAreLeftToThePublicApi() {
    assertFalse(
        new DirectFloats()
            .openSteps(new GenericArrayData(new Object[] {new GenericArrayData(new float[] {1f})})),
        "rows");
    OnHeapColumnVector steps =
        new OnHeapColumnVector(2, DataTypes.createArrayType(DataTypes.FloatType));
    steps.putArray(0, 0, 1);
    assertFalse(new DirectFloats(null).openSteps(new ColumnarArray(steps, 0, 1)), "switch off");
    steps.close();
  }
}
