package io.seqloss.loss;

import io.seqloss.config.ConfigException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Resolves a {@code --loss} name to a {@link TokenLoss}: a built-in name or a user class name. */
public final class TokenLosses {
  private static final Map<String, Supplier<TokenLoss>> BUILT_IN = new TreeMap<>();

  static {
    BUILT_IN.put(SparseSoftmaxCrossEntropy.NAME, SparseSoftmaxCrossEntropy::new);
  }

  private TokenLosses() {}

  public static java.util.Set<String> builtInNames() {
    return BUILT_IN.keySet();
  }

  /** Creates the loss, or fails with a usage error that says what was wrong with the name. */
  public static TokenLoss create(String name) {
    Supplier<TokenLoss> builtIn = BUILT_IN.get(name);
    if (builtIn != null) {
      return builtIn.get();
    }
    if (!name.contains(".")) {
      throw new ConfigException(String.format(
          "--loss %s is not a built-in loss (%s) nor a fully qualified class name", name, BUILT_IN.keySet()));
    }
    return instantiate(name);
  }

  private static TokenLoss instantiate(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(String.format(
          "--loss %s: class not found on the classpath; ship its jar with --jars", className), e);
    }
    if (!TokenLoss.class.isAssignableFrom(type)) {
      throw new ConfigException(String.format(
          "--loss %s: class does not implement %s", className, TokenLoss.class.getName()));
    }
    try {
      return (TokenLoss) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(String.format(
          "--loss %s: cannot be created through a public no-argument constructor: %s", className, e), e);
    }
  }
}
