package io.seqloss.eval;

import io.seqloss.loss.TokenPosition;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@link TokenPosition#keyOf} of string and derived ids, hashed from the UTF-8 bytes Spark already
 * holds: no {@code String} is decoded from them and encoded back for every row. The keys are the
 * same as {@code keyOf(id.toString())}.
 */
final class SequenceKeys {
  private SequenceKeys() {}

  /** The key of a string id. */
  static long of(UTF8String id) {
    return hash(TokenPosition.FNV_OFFSET, id);
  }

  /** The key of the id derived from a row's file and index: {@code "<file>#<row>"}. */
  static long derived(UTF8String file, long row) {
    long hash = TokenPosition.hashByte(hash(TokenPosition.FNV_OFFSET, file), (byte) '#');
    String digits = Long.toString(row);
    for (int i = 0; i < digits.length(); i++) {
      hash = TokenPosition.hashByte(hash, (byte) digits.charAt(i));
    }
    return hash;
  }

  private static long hash(long hash, UTF8String bytes) {
    Object base = bytes.getBaseObject();
    long offset = bytes.getBaseOffset();
    int length = bytes.numBytes();
    for (int i = 0; i < length; i++) {
      hash = TokenPosition.hashByte(hash, Platform.getByte(base, offset + i));
    }
    return hash;
  }
}
