package io.seqloss.input.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.ConfigException;
import io.seqloss.config.InputFormat;
import io.seqloss.input.DataFiles;
import io.seqloss.input.InputSchema;
import io.seqloss.input.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.connector.catalog.SupportsMetadataColumns;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The Arrow files of one read: their columns are the first file's (in path order), and every file
 * read must agree on the columns a query uses. A column whose Arrow type Spark cannot read in place
 * is still listed, with type {@code void} and its Arrow type in the field metadata, so that a run
 * that needs it fails with a message naming that type rather than "missing column".
 */
final class ArrowTable implements SupportsRead, SupportsMetadataColumns {
  private static final Logger LOG = LogManager.getLogger(ArrowTable.class);

  /** Field metadata key holding the type a column has in the file when Spark cannot read it. */
  static final String UNREADABLE_TYPE = InputSchema.UNREADABLE_TYPE;

  private final List<String> paths;
  private final List<String> files;
  private final ArrowIpcFile first;
  private final StructType schema;

  private ArrowTable(
      List<String> paths, List<String> files, ArrowIpcFile first, StructType schema) {
    this.paths = List.copyOf(paths);
    this.files = List.copyOf(files);
    this.first = first;
    this.schema = schema;
  }

  static ArrowTable open(Map<String, String> options) {
    List<String> paths = paths(new CaseInsensitiveStringMap(options));
    Configuration conf = hadoopConf();
    DataFiles.Listing listing = DataFiles.list(paths, conf, InputFormat::hasArrowExtension);
    if (!listing.skipped().isEmpty()) {
      LOG.warn(
          "reading only the Arrow files ({}) in the input directories; {} other file(s) not read: {}",
          String.join(", ", InputFormat.ARROW_EXTENSIONS),
          listing.skipped().size(),
          abbreviate(listing.skipped()));
    }
    if (listing.files().isEmpty()) {
      throw new InvalidInputException(
          String.format(
              "input %s holds no Arrow IPC files (%s)",
              paths, String.join(", ", InputFormat.ARROW_EXTENSIONS)));
    }
    ArrowIpcFile first = ArrowIpcFile.scan(listing.files().get(0), conf);
    return new ArrowTable(paths, listing.files(), first, sparkSchema(first));
  }

  /**
   * The file's columns as Spark sees them, the unreadable ones as void with their Arrow type noted.
   */
  static StructType sparkSchema(ArrowIpcFile file) {
    ArrowSparkTypes.Mapped mapped = ArrowSparkTypes.map(file.schema());
    List<StructField> fields = new ArrayList<>();
    for (var field : file.schema().getFields()) {
      String unreadable = mapped.unreadable().get(field.getName());
      if (unreadable != null) {
        Metadata note =
            new MetadataBuilder().putString(UNREADABLE_TYPE, unreadable + " (Arrow)").build();
        fields.add(DataTypes.createStructField(field.getName(), DataTypes.NullType, true, note));
      } else {
        fields.add(mapped.readable().apply(field.getName()));
      }
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  static Configuration hadoopConf() {
    return SparkSession.active().sparkContext().hadoopConfiguration();
  }

  /** DataFrameReader passes one path as "path" and several as "paths", a JSON array. */
  private static List<String> paths(CaseInsensitiveStringMap options) {
    List<String> paths = new ArrayList<>();
    if (options.containsKey("path")) {
      paths.add(options.get("path"));
    }
    if (options.containsKey("paths")) {
      try {
        paths.addAll(
            Arrays.asList(new ObjectMapper().readValue(options.get("paths"), String[].class)));
      } catch (JsonProcessingException e) {
        throw new ConfigException(
            "the Arrow source's 'paths' option is not a JSON array: " + options.get("paths"), e);
      }
    }
    if (paths.isEmpty()) {
      throw new ConfigException("the Arrow source needs at least one path");
    }
    return paths;
  }

  private static String abbreviate(List<String> files) {
    return files.size() <= 5
        ? String.join(", ", files)
        : String.join(", ", files.subList(0, 5)) + ", ...";
  }

  List<String> files() {
    return files;
  }

  ArrowIpcFile first() {
    return first;
  }

  @Override
  public String name() {
    return "arrow " + paths;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public MetadataColumn[] metadataColumns() {
    return new MetadataColumn[] {ArrowMetadata.COLUMN};
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new ArrowScanBuilder(this);
  }
}
