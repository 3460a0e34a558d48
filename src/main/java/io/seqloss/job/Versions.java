package io.seqloss.job;

/** The version of seqloss, from the jar manifest ("dev" when run from classes). */
public final class Versions {
  private Versions() {}

  public static String seqloss() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
