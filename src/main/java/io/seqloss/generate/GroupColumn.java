package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import java.io.Serializable;
import java.util.List;

/**
 * A categorical column for slicing ({@code generate --group-column NAME --groups N}): sequence
 * {@code i} belongs to one of {@code groups} string values, {@code NAME-00}, {@code NAME-01}, ...,
 * {@code NAME-99} for 100 groups, drawn uniformly from (seed, i). The draw uses a hash of its own,
 * never the row's random stream, so a corpus with the column has the same logits, targets and
 * weights as one without.
 */
public record GroupColumn(String name, int groups) implements Serializable {
  /** Mixed into the seed so that the group hash is unrelated to the row's random stream. */
  private static final long SALT = 0x6A09E667F3BCC909L;

  private static final List<String> TAKEN = List.of("id", "logits", "targets", "weights");

  public GroupColumn {
    if (name == null || name.isBlank()) {
      throw new ConfigException("--group-column must name a column, got '" + name + "'");
    }
    if (TAKEN.contains(name)) {
      throw new ConfigException(
          "--group-column " + name + " is one of the corpus's own columns " + TAKEN);
    }
    if (groups < 1) {
      throw new ConfigException("--groups must be at least 1, got " + groups);
    }
  }

  /** The group of sequence {@code index} in a corpus of seed {@code seed}. */
  public String valueOf(long seed, long index) {
    int group = (int) Long.remainderUnsigned(SyntheticSequences.mix(seed ^ SALT, index), groups);
    return label(group);
  }

  /** The value of group number {@code group}, zero-padded so that values sort in number order. */
  public String label(int group) {
    int width = Integer.toString(groups - 1).length();
    return String.format("%s-%0" + width + "d", name, group);
  }
}
