package io.seqloss.config;

/** A usage or configuration error: the run is refused before any data is read (exit code 2). */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
