import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Issue 15's check of two Parquet files: the bytes before the footer (every page) equal, and the
 * footers equal in schema, key-value metadata and every column chunk's metadata, the set of
 * encodings compared as a set (Parquet writes it from a HashSet, whose order can change between
 * runs). Usage: java -cp CLASSPATH ParquetSame.java A1 B1 [A2 B2 ...]; exit 1 on a difference.
 */
public class ParquetSame {
  public static void main(String[] args) throws Exception {
    boolean all = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      boolean same = same(args[i], args[i + 1]);
      System.out.println((same ? "same: " : "DIFFERENT: ") + args[i] + " " + args[i + 1]);
      all &= same;
    }
    System.exit(all ? 0 : 1);
  }

  private static boolean same(String fileA, String fileB) throws Exception {
    byte[] a = Files.readAllBytes(Path.of(fileA));
    byte[] b = Files.readAllBytes(Path.of(fileB));
    ParquetMetadata fa = footer(fileA);
    ParquetMetadata fb = footer(fileB);
    int dataA = a.length - 8 - footerLength(a);
    int dataB = b.length - 8 - footerLength(b);
    boolean same =
        dataA == dataB
            && Arrays.equals(a, 0, dataA, b, 0, dataB)
            && fa.getFileMetaData().getSchema().equals(fb.getFileMetaData().getSchema())
            && fa.getFileMetaData().getKeyValueMetaData().equals(fb.getFileMetaData().getKeyValueMetaData())
            && fa.getBlocks().size() == fb.getBlocks().size();
    for (int i = 0; same && i < fa.getBlocks().size(); i++) {
      BlockMetaData x = fa.getBlocks().get(i);
      BlockMetaData y = fb.getBlocks().get(i);
      same = x.getRowCount() == y.getRowCount() && x.getColumns().size() == y.getColumns().size();
      for (int c = 0; same && c < x.getColumns().size(); c++) {
        ColumnChunkMetaData p = x.getColumns().get(c);
        ColumnChunkMetaData q = y.getColumns().get(c);
        same =
            p.getPath().equals(q.getPath())
                && p.getCodec() == q.getCodec()
                && new HashSet<>(p.getEncodings()).equals(new HashSet<>(q.getEncodings()))
                && p.getStartingPos() == q.getStartingPos()
                && p.getTotalSize() == q.getTotalSize()
                && p.getTotalUncompressedSize() == q.getTotalUncompressedSize()
                && p.getValueCount() == q.getValueCount()
                && p.getStatistics().equals(q.getStatistics());
      }
    }
    return same;
  }

  private static int footerLength(byte[] f) {
    int n = f.length;
    return (f[n - 8] & 0xff) | (f[n - 7] & 0xff) << 8 | (f[n - 6] & 0xff) << 16 | (f[n - 5] & 0xff) << 24;
  }

  private static ParquetMetadata footer(String file) throws Exception {
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file), new Configuration()))) {
      return r.getFooter();
    }
  }
}
