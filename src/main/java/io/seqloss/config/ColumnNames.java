package io.seqloss.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * The input column names of one run; {@code id} and {@code weights} may be absent from the data.
 */
public record ColumnNames(String id, String logits, String targets, String weights)
    implements Serializable {
  public static final ColumnNames DEFAULT = new ColumnNames("id", "logits", "targets", "weights");

  public ColumnNames {
    requireName(id, "--id-col");
    requireName(logits, "--logits-col");
    requireName(targets, "--targets-col");
    requireName(weights, "--weights-col");
    if (new java.util.HashSet<>(java.util.List.of(id, logits, targets, weights)).size() != 4) {
      throw new ConfigException(
          String.format(
              "column options must name four different columns, got id=%s logits=%s targets=%s weights=%s",
              id, logits, targets, weights));
    }
  }

  private static void requireName(String name, String option) {
    if (Objects.requireNonNull(name, option).isBlank()) {
      throw new ConfigException(option + " must not be blank");
    }
  }
}
