package io.seqloss.loss;

import io.seqloss.config.ConfigException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a {@code --loss} choice to a {@link TokenLoss}: a built-in loss or a user class by name.
 */
public final class TokenLosses {
  private static final Set<String> BUILT_IN =
      new TreeSet<>(
          Set.of(
              SparseSoftmaxCrossEntropy.NAME,
              SampledSoftmax.NAME,
              LabelSmoothedCrossEntropy.NAME,
              Brier.NAME));

  private TokenLosses() {}

  public static Set<String> builtInNames() {
    return BUILT_IN;
  }

  /**
   * Checks what can be checked before V is known: a user class is loaded and instantiated once, so
   * a wrong name is a usage error before any data is read.
   */
  public static void check(LossSettings settings) {
    if (!BUILT_IN.contains(settings.name())) {
      instantiate(settings.name());
    }
  }

  /**
   * Creates the loss for a run with V classes.
   *
   * @param classWeights the {@code --class-weights}, or null; only label smoothing needs them
   *     itself
   * @throws ConfigException when the name is wrong or an option does not fit V
   */
  public static TokenLoss create(LossSettings settings, int numClasses, double[] classWeights) {
    switch (settings.name()) {
      case SparseSoftmaxCrossEntropy.NAME:
        return new SparseSoftmaxCrossEntropy();
      case SampledSoftmax.NAME:
        if (settings.numSampled() > numClasses) {
          throw new ConfigException(
              String.format(
                  "--num-sampled %d exceeds the number of classes V=%d; sampled_softmax draws distinct classes "
                      + "(at most V)",
                  settings.numSampled(), numClasses));
        }
        return new SampledSoftmax(settings.numSampled(), settings.samplerOrDefault());
      case LabelSmoothedCrossEntropy.NAME:
        return new LabelSmoothedCrossEntropy(settings.labelSmoothing(), classWeights);
      case Brier.NAME:
        return new Brier();
      default:
        return instantiate(settings.name());
    }
  }

  private static TokenLoss instantiate(String className) {
    if (!className.contains(".")) {
      throw new ConfigException(
          String.format(
              "--loss %s is not a built-in loss %s nor a fully qualified class name",
              className, BUILT_IN));
    }
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(
          String.format(
              "--loss %s: class not found on the classpath (%s); ship its jar with --jars",
              className, e),
          e);
    }
    if (!TokenLoss.class.isAssignableFrom(type)) {
      throw new ConfigException(
          String.format(
              "--loss %s: class does not implement %s", className, TokenLoss.class.getName()));
    }
    try {
      return (TokenLoss) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Throwable cause =
          e.getCause() != null && e instanceof java.lang.reflect.InvocationTargetException
              ? e.getCause()
              : e;
      throw new ConfigException(
          String.format(
              "--loss %s: cannot be created through a public no-argument constructor: %s",
              className, cause),
          e);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : TokenLosses.class.getClassLoader();
  }
}
