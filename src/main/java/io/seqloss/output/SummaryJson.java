package io.seqloss.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Serialises {@link RunSummary} on one line, so it can be both a file and Airflow's XCom line. */
public final class SummaryJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.INDENT_OUTPUT)
          // each section reads its own fields from the one flat object
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SummaryJson() {}

  public static String toJson(RunSummary summary) {
    try {
      return MAPPER.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the run summary", e);
    }
  }

  /**
   * Reads a summary back. Jackson cannot yet create a record through {@code @JsonUnwrapped} creator
   * parameters, so each section is read from the flat object on its own.
   */
  public static RunSummary fromJson(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject() || !node.has("status")) {
        throw new IllegalArgumentException(
            "not a seqloss summary: no 'status' field in " + abbreviate(json));
      }
      return new RunSummary(
          node.get("status").asText(),
          MAPPER.treeToValue(node, RunSummary.Result.class),
          MAPPER.treeToValue(node, RunSummary.Uncertainty.class),
          MAPPER.treeToValue(node, RunSummary.Slices.class),
          MAPPER.treeToValue(node, RunSummary.ReductionFlags.class),
          MAPPER.treeToValue(node, RunSummary.LossSpec.class),
          MAPPER.treeToValue(node, RunSummary.Totals.class),
          MAPPER.treeToValue(node, RunSummary.Calibration.class),
          MAPPER.treeToValue(node, RunSummary.InputFacts.class),
          MAPPER.treeToValue(node, RunSummary.OutputFacts.class),
          MAPPER.treeToValue(node, RunSummary.RunFacts.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a seqloss summary: " + e.getOriginalMessage(), e);
    }
  }

  private static String abbreviate(String json) {
    return json.length() <= 80 ? json : json.substring(0, 80) + "...";
  }
}
