package io.concord.workload.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Integer-id interactions from plain Parquet files, read on the driver with parquet-hadoop's column API (only the
 * user, item and split column chunks; no record assembly) instead of a Spark SQL job.
 *
 * <p>Why: the graph ends up on the driver anyway (see {@link InteractionTables}), and reading Gowalla's 1.03 M pairs
 * through Spark SQL cost ~1 s of fixed per-job work (file listing, a footer-reading job for the schema, planning and
 * code generation, a scan job, task results through Kryo) against 0.06 s for the text files
 * ({@code scripts/bench-table-read}, docs/data.md). Decoding three column chunks in one thread is a tight loop
 * like the text parser's.
 *
 * <p>When: every source (train, and test if given) is {@code data.format: parquet} named by a path (a file or a
 * directory of files, no glob, no catalog table), with no {@code data.where} and no {@code data.options}; a directory
 * holds only files (no partition {@code key=value} or other subdirectories; names starting with {@code _} or
 * {@code .} are skipped as Spark skips them, but no summary file {@code _metadata} / {@code _common_metadata});
 * every file of a source has the same schema; user and item are top-level {@code INT32} / {@code INT64} columns
 * (signed integer annotation or none: not {@code DECIMAL}, dates or timestamps), the split column, where one is
 * used, is a {@code UTF8} string or a boolean, and mapped weight / timestamp columns have types Spark accepts for
 * them (they are only checked, as in {@link InteractionTables#select}); the columns are named exactly (Spark would
 * match another case too). Where a file carries the schema Spark wrote into it (Spark reads that one), its types
 * must agree.
 *
 * <p>Anything else — a column missing or of another type, string ids, a file that is not Parquet, null ids, a split
 * value that is neither train nor test, an empty source — returns null, and the caller reads the sources through
 * Spark SQL, which gives the result or the error exactly as before (the bad-split message names the first bad value
 * in Spark's scan order). What this reads gives the same graph and id maps as that path: the same raw
 * {@code (user, item, flag)} packing goes through {@link InteractionTables#denseOfRaw} and
 * {@link InteractionTables#loaded}, where the id maps are sorted and the matrices' rows too, so the order in which
 * files and rows come does not matter.
 */
final class ParquetInteractionFiles {

    /** The Spark schema that Spark writes into the footer ({@code ParquetReadSupport.SPARK_METADATA_KEY}). */
    private static final String SPARK_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";
    private static final Pattern GLOB = Pattern.compile("[*?\\[\\]{}\\\\]");
    private static final Binary TRAIN = Binary.fromString("train");
    private static final Binary TEST = Binary.fromString("test");
    private static final Binary FALSE = Binary.fromString("false");
    private static final Binary TRUE = Binary.fromString("true");

    private ParquetInteractionFiles() {
    }

    /**
     * The loaded graph, or null where this reader does not apply (or the data has an error to report): then read the
     * sources through Spark SQL. Arguments as {@link InteractionTables#read}.
     */
    static InteractionTables.Loaded read(Configuration conf, TableSource train, TableSource test,
                                         InteractionColumns columns, double testFraction, long splitSeed) {
        boolean split = test == null && columns.split() != null;
        List<long[]> raw = new ArrayList<>();
        try {
            List<FileStatus> trainFiles = files(train, conf);
            List<FileStatus> testFiles = test == null ? List.of() : files(test, conf);
            if (trainFiles == null || testFiles == null) {
                return null;
            }
            Layout layout = null;
            for (int f = 0; f < trainFiles.size() + testFiles.size(); f++) {
                boolean isTest = f >= trainFiles.size();
                FileStatus file = isTest ? testFiles.get(f - trainFiles.size()) : trainFiles.get(f);
                if (f == trainFiles.size()) {
                    layout = null; // each source has its own schema, as Spark infers one per source
                }
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf),
                        HadoopReadOptions.builder(conf, file.getPath()).build())) {
                    FileMetaData meta = reader.getFileMetaData();
                    String sparkSchema = meta.getKeyValueMetaData().get(SPARK_SCHEMA);
                    if (layout == null) {
                        layout = Layout.of(meta.getSchema(), sparkSchema, columns, split);
                        if (layout == null) {
                            return null;
                        }
                    } else if (!layout.schema.equals(meta.getSchema())
                            || !Objects.equals(layout.sparkSchema, sparkSchema)) {
                        return null; // Spark would take one file's schema for all
                    }
                    if (!readFile(reader, meta, layout, isTest ? 1 : 0, raw)) {
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // Spark reads it again and reports what is wrong
        }
        long rows = 0;
        for (long[] p : raw) {
            rows += (p.length - 2) / 3;
            if (p[0] + p[1] > 0 || split && hasBadSplit(p)) {
                return null; // messages from the Spark path (the bad split value as Spark finds it first)
            }
        }
        if (rows == 0) {
            return null;
        }
        InteractionTables.Dense dense = InteractionTables.denseOfRaw(raw, test != null,
                InteractionTables.where(train, test), columns);
        return InteractionTables.loaded(train, test, columns, dense, testFraction, splitSeed, null);
    }

    /** The data files of a source in path order, or null where the source is not such a path. */
    private static List<FileStatus> files(TableSource source, Configuration conf) throws IOException {
        if (source.format() != SqlFormat.PARQUET || source.where() != null || !source.options().isEmpty()
                || GLOB.matcher(source.name()).find()) {
            return null;
        }
        Path path = new Path(source.name());
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(path);
        List<FileStatus> files = new ArrayList<>();
        if (status.isFile()) {
            if (skipped(path.getName())) {
                return null;
            }
            files.add(status);
        } else {
            for (FileStatus child : fs.listStatus(path)) {
                String name = child.getPath().getName();
                if (name.startsWith("_metadata") || name.startsWith("_common_metadata")) {
                    return null; // summary files, from which Spark may take the schema
                }
                if (skipped(name)) {
                    continue;
                }
                if (!child.isFile()) {
                    return null; // partition (key=value) or other subdirectories: Spark discovers and reads them
                }
                files.add(child);
            }
        }
        if (files.isEmpty() || files.stream().anyMatch(f -> f.getLen() == 0)) {
            return null;
        }
        files.sort(Comparator.comparing(FileStatus::getPath));
        return files;
    }

    /** The names Spark's file index leaves out ({@code InMemoryFileIndex.shouldFilterOutPathName}). */
    private static boolean skipped(String name) {
        return name.startsWith(".") || name.startsWith("_") && !name.contains("=") || name.endsWith("._COPYING_");
    }

    /** The columns to read, from the schema of a source's first file (its others must have the same). */
    private record Layout(MessageType schema, String sparkSchema, MessageType projection, ColumnDescriptor user,
                          ColumnDescriptor item, ColumnDescriptor split) {

        /** Null where a mapped column is missing or not of a type this reader handles. */
        static Layout of(MessageType schema, String sparkSchema, InteractionColumns c, boolean split) {
            StructType spark = null;
            if (sparkSchema != null) {
                DataType parsed = DataType.fromJson(sparkSchema);
                if (!(parsed instanceof StructType s)) {
                    return null;
                }
                spark = s;
            }
            PrimitiveType user = column(schema, spark, c.user(), Columns.Kind.ID);
            PrimitiveType item = column(schema, spark, c.item(), Columns.Kind.ID);
            PrimitiveType splitColumn = split ? column(schema, spark, c.split(), Columns.Kind.SPLIT) : null;
            if (user == null || item == null || split && splitColumn == null
                    || c.weight() != null && column(schema, spark, c.weight(), Columns.Kind.NUMBER) == null
                    || c.timestamp() != null && column(schema, spark, c.timestamp(), Columns.Kind.TIME) == null) {
                return null;
            }
            List<Type> fields = new ArrayList<>(List.of(user, item));
            if (split) {
                fields.add(splitColumn);
            }
            MessageType projection = new MessageType(schema.getName(), fields);
            return new Layout(schema, sparkSchema, projection, descriptor(projection, user),
                    descriptor(projection, item), split ? descriptor(projection, splitColumn) : null);
        }

        private static ColumnDescriptor descriptor(MessageType projection, PrimitiveType column) {
            return projection.getColumnDescription(new String[] {column.getName()});
        }
    }

    /**
     * The top-level column of that exact name (and no other in another case), not repeated, of a type this reader
     * handles for the kind; null otherwise.
     */
    private static PrimitiveType column(MessageType schema, StructType spark, String name, Columns.Kind kind) {
        if (name.contains(".") || name.contains("`") || !schema.containsField(name)
                || schema.getFields().stream().filter(f -> f.getName().equalsIgnoreCase(name)).count() != 1) {
            return null;
        }
        Type type = schema.getType(name);
        if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
            return null;
        }
        PrimitiveType p = type.asPrimitiveType();
        PrimitiveTypeName physical = p.getPrimitiveTypeName();
        LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
        boolean integer = (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64)
                && (logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && i.isSigned());
        boolean number = integer || (physical == PrimitiveTypeName.FLOAT || physical == PrimitiveTypeName.DOUBLE)
                && logical == null;
        boolean ok = switch (kind) {
            case ID -> integer;
            case SPLIT -> physical == PrimitiveTypeName.BINARY
                    && logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || physical == PrimitiveTypeName.BOOLEAN && logical == null;
            case NUMBER -> number;
            case TIME -> number
                    || physical == PrimitiveTypeName.INT32
                    && logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                    || physical == PrimitiveTypeName.INT64
                    && logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                    || physical == PrimitiveTypeName.INT96 && spark != null; // Spark's default timestamps
            default -> false;
        };
        if (ok && spark != null) {
            StructField field = Arrays.stream(spark.fields()).filter(f -> f.name().equals(name)).findFirst()
                    .orElse(null);
            ok = field != null && Columns.accepts(kind, field.dataType())
                    && (kind != Columns.Kind.ID || Columns.isInteger(field.dataType()));
        }
        return ok ? p : null;
    }

    /**
     * Appends one {@code [null users, null items, u, i, flag, …]} packing per row group (flag 0 = train, 1 = test,
     * 2 = not a split value), as {@link InteractionTables}' scan packs a task; false where a row group is too large.
     */
    private static boolean readFile(ParquetFileReader reader, FileMetaData meta, Layout layout, int sourceFlag,
                                    List<long[]> raw) throws IOException {
        reader.setRequestedSchema(layout.projection);
        PageReadStore group;
        while ((group = reader.readNextRowGroup()) != null) {
            long rows = group.getRowCount();
            if (rows > (Integer.MAX_VALUE - 16) / 3) {
                return false;
            }
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, NO_RECORDS, layout.projection,
                    meta.getCreatedBy());
            ColumnReader user = store.getColumnReader(layout.user);
            ColumnReader item = store.getColumnReader(layout.item);
            ColumnReader split = layout.split == null ? null : store.getColumnReader(layout.split);
            boolean userInt = layout.user.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32;
            boolean itemInt = layout.item.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32;
            boolean splitBoolean = split != null
                    && layout.split.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BOOLEAN;
            int userDef = layout.user.getMaxDefinitionLevel();
            int itemDef = layout.item.getMaxDefinitionLevel();
            int splitDef = split == null ? 0 : layout.split.getMaxDefinitionLevel();
            long[] out = new long[2 + (int) rows * 3];
            int n = 2;
            for (long r = 0; r < rows; r++) {
                boolean userNull = user.getCurrentDefinitionLevel() < userDef;
                if (userNull || item.getCurrentDefinitionLevel() < itemDef) {
                    out[userNull ? 0 : 1]++;
                } else {
                    out[n++] = userInt ? user.getInteger() : user.getLong();
                    out[n++] = itemInt ? item.getInteger() : item.getLong();
                    out[n++] = split == null ? sourceFlag : split.getCurrentDefinitionLevel() < splitDef ? 2
                            : splitBoolean ? (split.getBoolean() ? 1 : 0) : splitFlag(split.getBinary());
                }
                user.consume();
                item.consume();
                if (split != null) {
                    split.consume();
                }
            }
            raw.add(n == out.length ? out : Arrays.copyOf(out, n));
        }
        return true;
    }

    /** {@code test} / {@code true} = 1, {@code train} / {@code false} = 0, else 2 (as the Spark path's flag). */
    private static int splitFlag(Binary value) {
        return TEST.equals(value) || TRUE.equals(value) ? 1 : TRAIN.equals(value) || FALSE.equals(value) ? 0 : 2;
    }

    private static boolean hasBadSplit(long[] packed) {
        for (int k = 4; k < packed.length; k += 3) {
            if (packed[k] == 2) {
                return true;
            }
        }
        return false;
    }

    /** The column readers are read directly: no record is assembled, so the converters are never called. */
    private static final GroupConverter NO_RECORDS = new GroupConverter() {
        private final PrimitiveConverter none = new PrimitiveConverter() {
        };

        @Override
        public Converter getConverter(int fieldIndex) {
            return none;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    };
}
