package io.seqloss.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** One run of one variant: its times and the numbers it printed (the last JSON line of stdout). */
record Measurement(
    double processSeconds,
    double inJobSeconds,
    double lossSum,
    double weightSum,
    long sequences,
    long tokens,
    int numClasses) {

  /** Reads seqloss's summary or a baseline's line; fields a variant does not print are NaN or 0. */
  static Measurement of(double processSeconds, JsonNode json) {
    return new Measurement(
        processSeconds,
        json.path("elapsed_seconds").asDouble(Double.NaN),
        number(json, "loss_sum"),
        number(json, "weight_sum"),
        json.path("sequences").asLong(0),
        json.has("tokens") ? json.get("tokens").asLong() : json.path("steps").asLong(0),
        json.path("num_classes").asInt(0));
  }

  private static double number(JsonNode json, String field) {
    JsonNode n = json.get(field);
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }

  double loss() {
    return lossSum / weightSum;
  }
}
