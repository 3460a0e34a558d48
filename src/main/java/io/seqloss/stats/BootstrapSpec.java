package io.seqloss.stats;

import java.io.Serializable;

/** {@code --bootstrap B --bootstrap-seed N}, as every task needs it. */
public record BootstrapSpec(int replicates, long seed) implements Serializable {}
