package io.seqloss.fastpath;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.try_element_at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ColumnNames;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each fast path, given internals that are not what it expects (a missing field, an unexpected
 * plan, an unexpected codec table, a missing Parquet method), is turned off with a WARN naming it
 * and why, and the public API it falls back to gives the same bits.
 */
@Tag("spark-4-line")
class FastPathExpectationsTest extends SparkTestBase {
  private static final String SNAPPY =
      CompressionCodecName.SNAPPY.getHadoopCompressionCodecClassName();

  private static void assertTurnedOff(String fastPath, String why) {
    assertTrue(
        FastPaths.turnedOff().stream()
            .anyMatch(s -> s.startsWith(fastPath + ": ") && s.contains(why)),
        fastPath + " / " + why + " not in " + FastPaths.turnedOff());
  }

  @Test
  void directFloatsWithoutSparksFieldReadThroughThePublicApiToTheSameBits() {
    DirectFloats.Handles broken =
        DirectFloats.Handles.find(
            ColumnarArray.class,
            "data",
            "offset",
            OnHeapColumnVector.class,
            "floatDataOfAnotherSpark");
    assertTrue(
        broken.problem().contains("OnHeapColumnVector.floatDataOfAnotherSpark"), broken.problem());
    DirectFloats publicOnly = new DirectFloats(broken);
    assertTurnedOff(FastPaths.DIRECT_FLOATS, "OnHeapColumnVector.floatDataOfAnotherSpark");

    int v = 300;
    OnHeapColumnVector steps =
        new OnHeapColumnVector(3, DataTypes.createArrayType(DataTypes.FloatType));
    OnHeapColumnVector vector = (OnHeapColumnVector) steps.getChild(0);
    vector.reserve(3 * v);
    float[] written = new float[3 * v];
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    for (int i = 0; i < written.length; i++) {
      written[i] = (float) (random.nextGaussian() * 40);
      vector.putFloat(i, written[i]);
    }
    for (int step = 0; step < 3; step++) {
      steps.putArray(step, step * v, v);
    }
    DirectFloats direct = new DirectFloats();
    assertTrue(direct.openSteps(new ColumnarArray(steps, 0, 3)));
    assertFalse(publicOnly.openSteps(new ColumnarArray(steps, 0, 3)), "left to the public API");
    for (int step = 0; step < 3; step++) {
      double[] fast = new double[v];
      double[] slow = new double[v];
      double fastMax = direct.copyStep(step, v, fast);
      double slowMax = publicOnly.copyFinite(new ColumnarArray(vector, step * v, v), v, slow);
      double handMax = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < v; c++) {
        assertEquals(
            Double.doubleToRawLongBits(written[step * v + c]), Double.doubleToRawLongBits(slow[c]));
        handMax = Math.max(handMax, written[step * v + c]);
      }
      assertArrayEquals(fast, slow, 0.0);
      assertEquals(handMax, slowMax, 0.0);
      assertEquals(handMax, fastMax, 0.0);
    }
    steps.close();
  }

  @Test
  void anUnexpectedPlanOrUnmarkedMetadataColumnsLeaveTheColumnarScan() {
    Path file = Corpora.write(session(), tmp, Corpora.workedExample(), 1);
    Corpus corpus = new CorpusReader(session()).read(List.of(file.toString()), ColumnNames.DEFAULT);
    assertTrue(ColumnarScan.find(corpus.rows(), corpus.layout()).scan().isPresent());

    ColumnarScan.Found shuffled = ColumnarScan.find(corpus.rows().repartition(2), corpus.layout());
    assertFalse(shuffled.scan().isPresent());
    assertTurnedOff(FastPaths.COLUMNAR_SCAN, "the query plan has a ");

    ColumnarScan.Found unmarked =
        ColumnarScan.find(
            corpus.rows(),
            corpus.layout(),
            new ColumnarScan.MetadataMarkers(
                "__file_source_metadata_col", "__metadata_col_of_another_spark"));
    assertFalse(unmarked.scan().isPresent());
    assertTurnedOff(FastPaths.COLUMNAR_SCAN, "marked __metadata_col_of_another_spark");
    // The row path it leaves to gives the same bits:
    // ColumnarPathTest.bothPathsAndAnyPartitioningGiveTheSameBits.
  }

  @Test
  void anUnexpectedCodecTableIsLeftAsItIs() {
    CompressionCodec someoneElses = new DefaultCodec();
    Map<String, CompressionCodec> table = new HashMap<>(Map.of(SNAPPY, someoneElses));
    assertFalse(SnappyPages.install(() -> table, () -> table.get(SNAPPY)));
    assertSame(someoneElses, table.get(SNAPPY));
    assertTurnedOff(
        FastPaths.SNAPPY_PAGES, "holds " + DefaultCodec.class.getName() + " for snappy");

    assertFalse(
        SnappyPages.install(
            () -> {
              throw new NoSuchFieldError("CODEC_BY_NAME");
            },
            () -> null));
    assertTurnedOff(FastPaths.SNAPPY_PAGES, "codec table is not there as expected");

    Map<String, CompressionCodec> ignored = new HashMap<>();
    assertFalse(
        SnappyPages.install(() -> ignored, () -> someoneElses), "a table Parquet does not consult");
    assertTurnedOff(FastPaths.SNAPPY_PAGES, "hands out " + DefaultCodec.class.getName());

    assertTrue(
        SnappyPages.install(),
        "Parquet's own table is as expected on this Spark: " + FastPaths.turnedOff());
  }

  @Test
  void withoutParquetsPageApiTheFirstStepIsLeftToSpark() throws Exception {
    Path file = Corpora.write(session(), tmp, Corpora.workedExample(), 1);
    String parquet = file.resolve("part-000.parquet").toString();
    Configuration conf = new Configuration();
    int bySpark =
        session()
            .read()
            .parquet(parquet)
            .select(size(try_element_at(col("logits"), lit(1))).as("v"))
            .where(col("v").geq(1))
            .first()
            .getInt(0);
    assertEquals(
        Optional.of(OptionalInt.of(bySpark)), ParquetFirstStep.probe(parquet, "logits", conf));

    List<ParquetFirstStep.Needed> missing =
        List.of(
            new ParquetFirstStep.Needed(
                Util.class, "readPageHeaderOfAnotherParquet", InputStream.class));
    assertEquals(Optional.empty(), ParquetFirstStep.probe(parquet, "logits", conf, missing));
    assertTurnedOff(FastPaths.PARQUET_FIRST_STEP, "readPageHeaderOfAnotherParquet");
  }
}
