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
    for (String kind :
        List.of(
            "scan",
            BaselineQueries.SCAN_TUNED,
            BaselineQueries.SCAN_INPUTS,
            BaselineQueries.SCAN_LOSS,
            "sql",
            "udf")) {
      BaselineResult p =
          BaselineQueries.run(session(), kind, InputFormat.PARQUET, List.of(parquet));
      BaselineResult a = BaselineQueries.run(session(), kind, InputFormat.ARROW, List.of(arrow));
      assertEquals(p.weightSum(), a.weightSum(), kind);
      assertEquals(p.steps(), a.steps(), kind);
      assertTrue(p.steps() >= 60 && p.steps() <= 210, kind + " steps " + p.steps());
      if (!kind.startsWith("scan") || kind.equals(BaselineQueries.SCAN_LOSS)) {
        // Spark sums rows in partition order, which the two readers may split differently.
        assertEquals(p.lossSum(), a.lossSum(), 1e-12 * p.lossSum(), kind);
      }
    }
  }

  @Test
  void theScansOfSeqlossInputsReadWhatTheScanReadsAndTheLossIsSqlsForEveryIdKind() {
    for (SyntheticCorpusSpec.IdType ids : SyntheticCorpusSpec.IdType.values()) {
      SyntheticCorpusSpec spec =
          new SyntheticCorpusSpec(40, 3, 9, 5, 0.25, 4, ids, 10, "snappy", 1 << 20, 1);
      String parquet = tmp.resolve("ids-" + ids).toString();
      new CorpusGenerator(session()).generate(spec, parquet, false);
      BaselineResult scan =
          BaselineQueries.run(session(), "scan", InputFormat.PARQUET, List.of(parquet));
      BaselineResult inputs =
          BaselineQueries.run(
              session(), BaselineQueries.SCAN_INPUTS, InputFormat.PARQUET, List.of(parquet));
      assertEquals(scan.steps(), inputs.steps(), ids.toString());
      assertEquals(scan.weightSum(), inputs.weightSum(), ids.toString());
      assertTrue(inputs.steps() >= 120 && inputs.steps() <= 360, ids + " steps " + inputs.steps());
      // The loss baseline's loss is Spark SQL's, computed with its own functions (which subtract
      // the largest logit in float, hence not to the last bits).
      BaselineResult loss =
          BaselineQueries.run(
              session(), BaselineQueries.SCAN_LOSS, InputFormat.PARQUET, List.of(parquet));
      BaselineResult sql =
          BaselineQueries.run(session(), "sql", InputFormat.PARQUET, List.of(parquet));
      assertEquals(scan.steps(), loss.steps(), ids.toString());
      assertEquals(sql.loss(), loss.loss(), 1e-9 * sql.loss(), ids.toString());
      assertTrue(loss.loss() > 0.1 && loss.loss() < 10, ids + " loss " + loss.loss());
    }
  }
}
