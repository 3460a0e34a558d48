package io.seqloss.fastpath;

/**
 * Follows the repetition and definition levels of a list&lt;list&lt;...&gt;&gt; column, triplet by
 * triplet, until it has seen the whole first step of the first row whose first step is not empty:
 * that step's length, nulls included, is V ({@code size(element_at(logits, 1))} of that row).
 */
final class FirstStepCounter {
  private final int elementDefinition;
  private boolean inFirstStep;
  private int length;
  private boolean found;

  /**
   * @param elementDefinition the definition level at which a triplet is an element of a step
   */
  FirstStepCounter(int elementDefinition) {
    this.elementDefinition = elementDefinition;
  }

  /** The next triplet's levels; nothing changes once the length is found. */
  void accept(int repetition, int definition) {
    if (found) {
      return;
    }
    if (repetition
        <= 1) { // a new row (0) or the row's next step (1): the first step so far is complete
      if (inFirstStep && length > 0) {
        found = true;
        return;
      }
      inFirstStep = repetition == 0;
    }
    if (inFirstStep && definition >= elementDefinition) {
      length++;
    }
  }

  /**
   * The triplets so far end at a row boundary (the end of a row group): the last step is complete.
   */
  void endOfRows() {
    if (inFirstStep && length > 0) {
      found = true;
    }
  }

  boolean found() {
    return found;
  }

  int length() {
    return length;
  }
}
