package io.seqloss.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InputFormat;
import io.seqloss.generate.ArrowCorpusFiles;
import io.seqloss.generate.ArrowLayout;
import io.seqloss.generate.CorpusGenerator;
import io.seqloss.generate.SyntheticCorpusSpec;
import io.seqloss.input.arrow.ArrowIpcFormat;
import io.seqloss.testing.SparkTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's baselines read an Arrow corpus as they read its Parquet twin, and agree on it.
 */
class BaselineQueriesTest extends SparkTestBase {

  @Test
  void everyBaselineRunsOnAnArrowCorpusAndAgreesWithParquet() {
    SyntheticCorpusSpec spec =
        new SyntheticCorpusSpec(
            30, 2, 7, 20, 0.3, 3, SyntheticCorpusSpec.IdType.LONG, 8, "uncompressed", 1 << 20, 1);
    String parquet = tmp.resolve("parquet").toString();
    String arrow = tmp.resolve("arrow").toString();
    new CorpusGenerator(session()).generate(spec, parquet, false);
    new ArrowCorpusFiles(session())
        .generate(spec, new ArrowLayout(ArrowIpcFormat.STREAM, 3), arrow, false);
    for (String kind : List.of("scan", BaselineQueries.SCAN_TUNED, "sql", "udf")) {
      BaselineResult p =
          BaselineQueries.run(session(), kind, InputFormat.PARQUET, List.of(parquet));
      BaselineResult a = BaselineQueries.run(session(), kind, InputFormat.ARROW, List.of(arrow));
      assertEquals(p.weightSum(), a.weightSum(), kind);
      assertEquals(p.steps(), a.steps(), kind);
      assertTrue(p.steps() >= 60 && p.steps() <= 210, kind + " steps " + p.steps());
      if (!kind.startsWith("scan")) {
        // Spark sums rows in partition order, which the two readers may split differently.
        assertEquals(p.lossSum(), a.lossSum(), 1e-12 * p.lossSum(), kind);
      }
    }
  }
}
