package io.seqloss.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.stats.CalibrationBins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric fields' JSON names, and that a summary reads back as written. */
class SummaryJsonMetricsTest {

  @Test
  void metricFieldsAreSnakeCaseAndRoundTrip() {
    RunSummary s =
        new RunSummary(
            "succeeded",
            new RunSummary.Result(
                0.5, Math.exp(0.5), 0.5 / Math.log(2), 0.75, 5, 0.9, "[]", List.of()),
            new RunSummary.Uncertainty(
                0.125,
                0.9,
                List.of(0.25, 0.75),
                new RunSummary.Bootstrap(100, List.of(0.3, 0.7), 7L, 0.1)),
            new RunSummary.Slices(
                List.of("lang"),
                List.of(16),
                1L,
                List.of(
                    new RunSummary.GroupResult(
                        Map.of("lang", "de"),
                        0.5,
                        0.125,
                        List.of(0.25, 0.75),
                        Math.exp(0.5),
                        0.75,
                        0.9,
                        2,
                        0,
                        5,
                        2.0,
                        4.0,
                        4))),
            new RunSummary.ReductionFlags(true, true, false, false),
            new RunSummary.LossSpec(
                "sampled_softmax", Map.of("num_sampled", 8), -100L, "w.txt", 3, "set"),
            new RunSummary.Totals(2, 2, 0, 0, 5, 2.0, 4.0, 4, 3.0, 3.6, 0, "corpus", "exact"),
            new RunSummary.Calibration(
                0.125, List.of(new CalibrationBins.Bin(0.0, 1.0 / 15, 3, 2.5, 0.05, 0.4))),
            new RunSummary.InputFacts(
                List.of("in"),
                1,
                List.of(new RunSummary.SkippedFile("bad.parquet", "truncated")),
                false),
            new RunSummary.OutputFacts("out", Map.of()),
            new RunSummary.RunFacts(1.0, "dev", "3.5.9"));
    String json = SummaryJson.toJson(s);
    for (String key :
        List.of(
            "\"bits_per_token\":",
            "\"accuracy\":0.75",
            "\"top_k\":5",
            "\"top_k_accuracy\":0.9",
            "\"loss_options\":{\"num_sampled\":8}",
            "\"ignore_index\":-100",
            "\"class_weights\":\"w.txt\"",
            "\"correct_sum\":3.0",
            "\"top_k_sum\":3.6",
            "\"ece\":0.125",
            "\"calibration_bins\":[{\"lower\":0.0,",
            "\"weight_sum\":2.5,\"confidence\":0.05",
            "\"skipped_files\":[{\"file\":\"bad.parquet\",\"reason\":\"truncated\"}]",
            "\"all_input_rows_counted\":false",
            "\"standard_error\":0.125,\"confidence_level\":0.9,\"confidence_interval\":[0.25,0.75],"
                + "\"bootstrap\":{\"replicates\":100,\"interval\":[0.3,0.7],\"seed\":7,\"standard_error\":0.1}",
            "\"group_by\":[\"lang\"],\"length_buckets\":[16],\"groups\":1,\"group_results\":[{\"group\":{\"lang\":\"de\"},"
                + "\"loss\":0.5,\"standard_error\":0.125,\"confidence_interval\":[0.25,0.75]")) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    assertEquals(s, SummaryJson.fromJson(json));
    assertTrue(json.startsWith("{\"status\":\"succeeded\",\"loss\":0.5,\"perplexity\":"), json);
    assertTrue(
        json.indexOf("\"top_k_sum\"") > json.indexOf("\"correct_sum\""),
        "the record's order: " + json);
    assertTrue(json.endsWith("\"spark_version\":\"3.5.9\"}"), json);
    // the flat key order readers have seen since the first release: every section unwrapped in
    // place
    assertEquals(
        List.of(
            "status",
            "loss",
            "perplexity",
            "bits_per_token",
            "accuracy",
            "top_k",
            "top_k_accuracy",
            "result_shape",
            "result_dims",
            "standard_error",
            "confidence_level",
            "confidence_interval",
            "bootstrap",
            "group_by",
            "length_buckets",
            "groups",
            "group_results",
            "average_across_timesteps",
            "average_across_batch",
            "sum_over_timesteps",
            "sum_over_batch",
            "loss_function",
            "loss_options",
            "ignore_index",
            "class_weights",
            "num_classes",
            "num_classes_source",
            "input_rows",
            "sequences",
            "invalid_rows",
            "duplicate_ids",
            "tokens",
            "loss_sum",
            "weight_sum",
            "nonzero_weights",
            "correct_sum",
            "top_k_sum",
            "zero_denominator",
            "zero_denominator_of",
            "summation",
            "ece",
            "calibration_bins",
            "input_paths",
            "input_files",
            "skipped_files",
            "all_input_rows_counted",
            "output_dir",
            "outputs",
            "elapsed_seconds",
            "seqloss_version",
            "spark_version"),
        keys(json));
  }

  private static List<String> keys(String json) {
    try {
      List<String> keys = new ArrayList<>();
      new ObjectMapper().readTree(json).fieldNames().forEachRemaining(keys::add);
      return keys;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
