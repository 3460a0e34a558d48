package io.seqloss.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.config.ConfigException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** --target-boost: another checkpoint's logits over the same ids, targets and weights. */
class TargetBoostTest {

  private static SyntheticCorpusSpec spec(float boost) {
    return new SyntheticCorpusSpec(
        20,
        2,
        8,
        5,
        0.25,
        3,
        SyntheticCorpusSpec.IdType.STRING,
        20,
        "uncompressed",
        1024 * 1024,
        1,
        boost,
        null);
  }

  @Test
  void onlyTheTargetLogitsMove() {
    SyntheticSequences a = new SyntheticSequences(spec(2.0f));
    SyntheticSequences b = new SyntheticSequences(spec(2.5f));
    for (long i = 0; i < 20; i++) {
      SyntheticSequences.Sequence x = a.sequence(i);
      SyntheticSequences.Sequence y = b.sequence(i);
      assertEquals(x.id(), y.id());
      assertArrayEquals(x.targets(), y.targets());
      assertArrayEquals(x.weights(), y.weights());
      for (int t = 0; t < x.targets().length; t++) {
        for (int v = 0; v < 5; v++) {
          float expected = v == x.targets()[t] ? 0.5f : 0f;
          assertEquals(
              expected, y.logits()[t][v] - x.logits()[t][v], 1e-6, "row " + i + " step " + t);
        }
      }
    }
  }

  @Test
  void theDefaultBoostIsTheEarlierCorpus() {
    SyntheticCorpusSpec old =
        new SyntheticCorpusSpec(
            20,
            2,
            8,
            5,
            0.25,
            3,
            SyntheticCorpusSpec.IdType.STRING,
            20,
            "uncompressed",
            1024 * 1024,
            1);
    assertEquals(2.0f, old.targetBoost());
    Assertions.assertThrows(ConfigException.class, () -> spec(Float.NaN));
  }
}
