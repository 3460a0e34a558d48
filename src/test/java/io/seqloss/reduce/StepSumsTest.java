package io.seqloss.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A timestep's shares (partition sums and single tokens) add up exactly, in any order and grouping.
 */
class StepSumsTest {
  /** One token: weighted loss, weight, weighted accuracy credit, weighted top-k credit. */
  private record Token(double loss, double weight, double correct, double topK) {}

  private static List<Token> tokens(long seed, int n) {
    Random random = new Random(seed);
    List<Token> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double weight =
          random.nextInt(4) == 0 ? 0.0 : Math.pow(10, random.nextInt(12) - 6) * random.nextDouble();
      double loss =
          (random.nextDouble() - 0.2) * Math.pow(10, random.nextInt(30) - 15); // some negative
      tokens.add(
          new Token(
              loss, weight, random.nextBoolean() ? weight : 0.0, weight * random.nextDouble()));
    }
    tokens.add(new Token(Double.MIN_VALUE, 1.0, 0.0, 0.0));
    tokens.add(new Token(-Double.MAX_VALUE / 8, 1.0, 0.0, 0.0));
    tokens.add(new Token(Double.MAX_VALUE / 8, 1.0, 0.0, 0.0));
    return tokens;
  }

  private static double exact(List<Token> tokens, java.util.function.ToDoubleFunction<Token> part) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Token t : tokens) {
      sum = sum.add(new BigDecimal(part.applyAsDouble(t)));
    }
    return sum.doubleValue();
  }

  @Test
  void sharesInAnyGroupingAndOrderGiveTheExactSums() {
    List<Token> tokens = tokens(11, 5_000);
    long nonzero = tokens.stream().filter(t -> t.weight() != 0.0).count();
    Random random = new Random(5);
    for (int groups : new int[] {1, 7, 300}) {
      List<Token> shuffled = new ArrayList<>(tokens);
      Collections.shuffle(shuffled, random);
      // Every other group travels as a partition's sums, the rest as one share per token.
      List<byte[]> shares = new ArrayList<>();
      int per = shuffled.size() / groups + 1;
      for (int g = 0; g * per < shuffled.size(); g++) {
        List<Token> group = shuffled.subList(g * per, Math.min(shuffled.size(), (g + 1) * per));
        if (g % 2 == 0) {
          StepSums partition = new StepSums();
          group.forEach(t -> partition.addToken(t.loss(), t.weight(), t.correct(), t.topK()));
          shares.add(partition.toShare());
        } else {
          group.forEach(
              t -> shares.add(StepSums.tokenShare(t.loss(), t.weight(), t.correct(), t.topK())));
        }
      }
      Collections.shuffle(shares, random);
      StepSums step = new StepSums();
      shares.forEach(step::addShare);

      assertEquals(exact(tokens, Token::loss), step.lossSum(), 0.0, groups + " groups");
      assertEquals(exact(tokens, Token::weight), step.weightSum(), 0.0);
      assertEquals(exact(tokens, Token::correct), step.correctSum(), 0.0);
      assertEquals(exact(tokens, Token::topK), step.topKSum(), 0.0);
      assertEquals(nonzero, step.nonzeroWeights());
      assertEquals(tokens.size(), step.sequences());
    }
  }

  @Test
  void aNegativeSumTravelsExactly() {
    StepSums partition = new StepSums();
    partition.addToken(-1e-300, 1.0, 0.0, 0.0);
    partition.addToken(-3.5, 0.0, 0.0, 0.0);
    StepSums step = new StepSums();
    step.addShare(partition.toShare());
    step.addShare(StepSums.tokenShare(1.0, 0.0, 0.0, 0.0));
    double expected =
        new BigDecimal(-1e-300).add(new BigDecimal(-3.5)).add(BigDecimal.ONE).doubleValue();
    assertEquals(expected, step.lossSum(), 0.0);
    assertEquals(1, step.nonzeroWeights());
    assertEquals(3, step.sequences());
  }

  @Test
  void infinitiesAndNaNTravelInShares() {
    StepSums partition = new StepSums();
    partition.addToken(Double.POSITIVE_INFINITY, 1.0, Double.NaN, 0.0);
    StepSums step = new StepSums();
    step.addShare(partition.toShare());
    assertEquals(Double.POSITIVE_INFINITY, step.lossSum(), 0.0);
    assertTrue(Double.isNaN(step.correctSum()));
    step.addShare(StepSums.tokenShare(Double.NEGATIVE_INFINITY, 1.0, 0.0, 0.0));
    assertTrue(Double.isNaN(step.lossSum()), "+inf and -inf make NaN");
    assertEquals(2.0, step.weightSum(), 0.0);
  }

  @Test
  void aShareIsSmallWhereTheSumsInMemoryAreNot() {
    StepSums partition = new StepSums();
    Random random = new Random(3);
    for (int i = 0; i < 1_000; i++) {
      double w = random.nextDouble();
      partition.addToken(w * random.nextDouble() * 5, w, w, w);
    }
    // 4 sums of 68 longs each in memory (2 KB); a share holds only their non-zero 32-bit digits.
    int size = partition.toShare().length;
    assertTrue(size < 200, "a step's share takes " + size + " bytes");
    assertEquals(
        33, StepSums.tokenShare(1, 1, 1, 1).length, "a token share: a tag and four doubles");
  }
}
