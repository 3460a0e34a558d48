package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenLossesTest {

  /** A user loss as a plug-in would write it. */
  public static final class HalfCrossEntropy implements TokenLoss {
    @Override
    public double loss(double[] logits, int numClasses, int target, TokenContext token) {
      return 0.5 * LogSumExp.of(logits, numClasses) - 0.5 * logits[target];
    }
  }

  public static final class NeedsArgument implements TokenLoss {
    public NeedsArgument(int unused) {}

    @Override
    public double loss(double[] logits, int numClasses, int target, TokenContext token) {
      return 0;
    }
  }

  private static String error(LossSettings settings) {
    return assertThrows(
            ConfigException.class,
            () -> {
              TokenLosses.check(settings);
              TokenLosses.create(settings, 10, null);
            })
        .getMessage();
  }

  @Test
  void createsBuiltInsAndUserClasses() {
    assertInstanceOf(
        SparseSoftmaxCrossEntropy.class, TokenLosses.create(LossSettings.crossEntropy(), 3, null));
    assertInstanceOf(Brier.class, TokenLosses.create(LossSettings.named("brier"), 3, null));
    assertInstanceOf(
        SampledSoftmax.class,
        TokenLosses.create(LossSettings.sampledSoftmax(2, CandidateSampler.UNIFORM, 1), 3, null));
    assertInstanceOf(
        LabelSmoothedCrossEntropy.class,
        TokenLosses.create(LossSettings.labelSmoothed(0.1), 3, null));
    LossSettings user = LossSettings.named(HalfCrossEntropy.class.getName());
    TokenLosses.check(user);
    assertInstanceOf(HalfCrossEntropy.class, TokenLosses.create(user, 3, null));
  }

  @Test
  void wrongNamesSayWhatIsWrong() {
    assertTrue(error(LossSettings.named("softmax")).contains("is not a built-in loss [brier, "));
    assertTrue(
        error(LossSettings.named("com.example.Missing"))
            .contains("--loss com.example.Missing: class not found on the classpath"));
    assertTrue(
        error(LossSettings.named("java.lang.String"))
            .contains(
                "--loss java.lang.String: class does not implement io.seqloss.loss.TokenLoss"));
    assertTrue(
        error(LossSettings.named(NeedsArgument.class.getName()))
            .contains("cannot be created through a public no-argument constructor"));
  }

  @Test
  void optionsBelongToTheirLoss() {
    assertEquals(
        "--num-sampled applies only to --loss sampled_softmax, not to --loss brier",
        assertThrows(ConfigException.class, () -> new LossSettings("brier", 5, null, null, null))
            .getMessage());
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> new LossSettings("sparse_softmax_cross_entropy", null, null, 3L, null))
            .getMessage()
            .startsWith("--seed applies only to --loss sampled_softmax"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> new LossSettings("sampled_softmax", null, null, null, null))
            .getMessage()
            .contains("needs --num-sampled"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> new LossSettings("sampled_softmax", 0, null, null, null))
            .getMessage()
            .contains("--num-sampled must be at least 1"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> new LossSettings("label_smoothed_cross_entropy", null, null, null, 1.5))
            .getMessage()
            .contains("--label-smoothing must be in [0, 1]"));
    assertTrue(
        assertThrows(ConfigException.class, () -> new LossSettings("brier", null, null, null, 0.1))
            .getMessage()
            .startsWith("--label-smoothing applies only to --loss label_smoothed_cross_entropy"));
    assertEquals(
        Map.of(
            "num_sampled",
            4,
            "sampler",
            "log_uniform",
            "seed",
            0L,
            "subtract_log_q",
            true,
            "remove_accidental_hits",
            true),
        new LossSettings("sampled_softmax", 4, null, null, null).options());
  }

  @Test
  void tokenPositionDependsOnSeedIdAndTimestepOnly() {
    assertEquals(42L, TokenPosition.keyOf(42L));
    assertEquals(TokenPosition.keyOf("a"), TokenPosition.keyOf("a"));
    // FNV-1a 64 of "a"
    assertEquals(0xaf63dc4c8601ec8cL, TokenPosition.keyOf("a"));
    TokenPosition p = new TokenPosition(5);
    p.at(7L, 3);
    long seed = p.randomSeed();
    p.at(8L, 3);
    long otherSequence = p.randomSeed();
    p.at(7L, 4);
    long otherStep = p.randomSeed();
    p.at(7L, 3);
    assertEquals(seed, p.randomSeed());
    assertTrue(seed != otherSequence && seed != otherStep && otherSequence != otherStep);
    TokenPosition q = new TokenPosition(5);
    q.startSequence(7L);
    q.timestep(3);
    assertEquals(seed, q.randomSeed());
  }
}
