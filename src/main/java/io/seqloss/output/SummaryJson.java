package io.seqloss.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Serialises {@link RunSummary} on one line, so it can be both a file and Airflow's XCom line. */
public final class SummaryJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  public static String toJson(RunSummary summary) {
    try {
      return MAPPER.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the run summary", e);
    }
  }

  public static RunSummary fromJson(String json) {
    try {
      return MAPPER.readValue(json, RunSummary.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a seqloss summary: " + e.getOriginalMessage(), e);
    }
  }
}
