package io.seqloss.input.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Packs record batches into tasks as Spark packs file splits: in path order, up to {@code
 * maxPartitionBytes} a task, each file opened costing {@code openCostInBytes}. A large file is
 * split between batches (never inside one); small files share a task.
 */
final class ArrowSplits {
  private ArrowSplits() {}

  /**
   * One file to split: its layout, its schema as JSON, and its column indices for the read schema.
   */
  record FilePlan(ArrowIpcFile file, String schemaJson, int[] columns) {}

  static List<InputPartition> plan(
      List<FilePlan> files, long maxPartitionBytes, long openCostInBytes) {
    List<InputPartition> partitions = new ArrayList<>();
    List<ArrowSegment> current = new ArrayList<>();
    long bytes = 0;
    for (FilePlan plan : files) {
      List<BatchBlock> batches = plan.file().batches();
      if (batches.isEmpty()) {
        continue;
      }
      bytes += openCostInBytes;
      int from = 0;
      long fromRow = 0;
      long row = 0;
      for (int i = 0; i < batches.size(); i++) {
        bytes += batches.get(i).bytes();
        row += batches.get(i).rows();
        if (bytes >= maxPartitionBytes) {
          current.add(segment(plan, batches.subList(from, i + 1), fromRow));
          partitions.add(new ArrowInputPartition(List.copyOf(current)));
          current.clear();
          bytes = 0;
          from = i + 1;
          fromRow = row;
        }
      }
      if (from < batches.size()) {
        current.add(segment(plan, batches.subList(from, batches.size()), fromRow));
      }
    }
    if (!current.isEmpty()) {
      partitions.add(new ArrowInputPartition(List.copyOf(current)));
    }
    return partitions;
  }

  private static ArrowSegment segment(FilePlan plan, List<BatchBlock> blocks, long firstRow) {
    return new ArrowSegment(
        plan.file().path(), plan.schemaJson(), plan.columns(), List.copyOf(blocks), firstRow);
  }
}
