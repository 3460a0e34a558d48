package io.seqloss.input.arrow;

import java.io.Serializable;
import java.util.List;

/**
 * Consecutive record batches of one file, read by one task.
 *
 * @param file the file's qualified path, as {@code _metadata.file_path} gives it
 * @param schemaJson the file's Arrow schema, so the task need not read it again
 * @param columns for each column of the scan's read schema, its index in the file's schema, or -1
 *     for {@code _metadata}
 * @param blocks the record batches, in file order
 * @param firstRow the file row index of the first row of the first batch
 */
record ArrowSegment(
    String file, String schemaJson, int[] columns, List<BatchBlock> blocks, long firstRow)
    implements Serializable {}
