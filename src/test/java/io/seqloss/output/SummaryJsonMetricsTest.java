package io.seqloss.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric fields' JSON names, and that a summary reads back as written. */
class SummaryJsonMetricsTest {

  @Test
  void metricFieldsAreSnakeCaseAndRoundTrip() {
    RunSummary s = new RunSummary("succeeded", 0.5, Math.exp(0.5), 0.5 / Math.log(2), 0.75, 5, 0.9, "[]", List.of(),
        true, true, false, false, "sampled_softmax", Map.of("num_sampled", 8), -100L, "w.txt", 3, "set", 2, 2, 0,
        5, 2.0, 4.0, 4, 3.0, 3.6, 0, "corpus", "exact", List.of("in"), 1,
        List.of(new RunSummary.SkippedFile("bad.parquet", "truncated")), false, "out", Map.of(), 1.0, "dev", "3.5.9");
    String json = SummaryJson.toJson(s);
    for (String key : List.of("\"bits_per_token\":", "\"accuracy\":0.75", "\"top_k\":5", "\"top_k_accuracy\":0.9",
        "\"loss_options\":{\"num_sampled\":8}", "\"ignore_index\":-100", "\"class_weights\":\"w.txt\"",
        "\"correct_sum\":3.0", "\"top_k_sum\":3.6",
        "\"skipped_files\":[{\"file\":\"bad.parquet\",\"reason\":\"truncated\"}]", "\"all_input_rows_counted\":false")) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    assertEquals(s, SummaryJson.fromJson(json));
    assertTrue(json.startsWith("{\"status\":\"succeeded\",\"loss\":0.5,\"perplexity\":"), json);
    assertTrue(json.indexOf("\"top_k_sum\"") > json.indexOf("\"correct_sum\""), "the record's order: " + json);
    assertTrue(json.endsWith("\"spark_version\":\"3.5.9\"}"), json);
  }
}
