package io.seqloss.input;

/**
 * The input data cannot be evaluated as asked (exit code 3): a missing or corrupt file, a column of
 * the wrong type, or a row that breaks the schema's contract. The message names where and what.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Lets the driver recognise this error even when Spark hands it over only as text. */
  public static final String MARKER = "[seqloss:invalid-input] ";

  public InvalidInputException(String message) {
    super(MARKER + message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(MARKER + message, cause);
  }

  /** The message without the marker, for users. */
  public String describe() {
    return stripMarker(getMessage());
  }

  public static String stripMarker(String message) {
    return message.startsWith(MARKER) ? message.substring(MARKER.length()) : message;
  }

  /**
   * The message of this error inside a text (a Spark exception's message or a task's stack trace,
   * where it may be a cause), without the marker, up to the end of its line; empty when the text
   * has none.
   */
  public static java.util.Optional<String> findIn(String text) {
    int marker = text == null ? -1 : text.indexOf(MARKER);
    if (marker < 0) {
      return java.util.Optional.empty();
    }
    String rest = text.substring(marker + MARKER.length());
    int end = rest.indexOf('\n');
    return java.util.Optional.of(end < 0 ? rest : rest.substring(0, end));
  }
}
