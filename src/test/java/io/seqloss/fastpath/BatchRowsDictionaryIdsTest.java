package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.eval.CanonicalRows;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.input.InputLayout;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.GroupedCorpus;
import io.seqloss.testing.GroupedCorpus.Labelled;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The dictionary ids a Parquet scan hands for the first group column: there for a
 * dictionary-encoded string column, -1 for a null, and within one epoch an id always stands for one
 * value, though the files' dictionaries number the values differently.
 */
class BatchRowsDictionaryIdsTest extends SparkTestBase {
  private static final String[][] ORDERS = {{"news", "code", "chat"}, {"chat", "news", "code"}};

  @Test
  void anIdStandsForOneValueWithinItsEpoch() {
    List<CorpusRow> random = RandomCorpus.rows(5, 120, 4, 3, true);
    List<Labelled> rows = new ArrayList<>();
    for (int i = 0; i < random.size(); i++) {
      String[] order = ORDERS[i < 60 ? 0 : 1]; // two files, each its own dictionary order
      rows.add(
          new Labelled(random.get(i), java.util.Arrays.asList(i % 7 == 6 ? null : order[i % 3])));
    }
    Path corpus =
        GroupedCorpus.write(
            session(),
            tmp,
            "corpus",
            rows,
            List.of(GroupedCorpus.field("domain", DataTypes.StringType)),
            2);
    Corpus read =
        new CorpusReader(session())
            .read(
                List.of(corpus.toString()),
                null,
                ColumnNames.DEFAULT,
                InvalidRowPolicy.FAIL,
                List.of("domain"));
    ColumnarScan scan = ColumnarScan.find(read.rows(), read.layout()).scan().orElseThrow();
    ColumnarScan.BatchLayout layout = scan.layout();
    List<long[]> seen = // {numbered rows, null rows, contradictions}
        scan.batches()
            .coalesce(1)
            .mapPartitions(
                batches -> {
                  CanonicalRows canonical = layout.rows(batches);
                  Map<String, String> valueOf = new HashMap<>();
                  long numbered = 0;
                  long nulls = 0;
                  long contradictions = 0;
                  while (canonical.hasNext()) {
                    InternalRow row = canonical.next();
                    int id = canonical.groupDictionaryId();
                    if (row.isNullAt(InputLayout.WIDTH)) {
                      nulls++;
                      contradictions += id == -1 ? 0 : 1;
                      continue;
                    }
                    String value = row.getUTF8String(InputLayout.WIDTH).toString();
                    if (id >= 0) {
                      numbered++;
                      String key = canonical.dictionaryEpoch() + "/" + id;
                      contradictions +=
                          value.equals(valueOf.merge(key, value, (a, b) -> a)) ? 0 : 1;
                    }
                  }
                  return List.of(new long[] {numbered, nulls, contradictions}).iterator();
                })
            .collect();
    long[] counts = seen.get(0);
    assertEquals(120 - 120 / 7, counts[0], "every non-null value is numbered");
    assertEquals(120 / 7, counts[1]);
    assertEquals(0, counts[2], "an id stood for two values in one epoch");
    assertTrue(scan.layout().columnOfCanonical().length > InputLayout.WIDTH);
  }
}
