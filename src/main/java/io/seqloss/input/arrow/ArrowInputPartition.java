package io.seqloss.input.arrow;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The work of one task: segments of one or more files, read in order. */
record ArrowInputPartition(List<ArrowSegment> segments) implements InputPartition {}
