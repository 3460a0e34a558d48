package io.seqloss.generate;

/** What a generate run wrote: where, how many files and sequences, and the bytes on disk. */
public record WrittenCorpus(String output, int files, long sequences, long bytes) {}
