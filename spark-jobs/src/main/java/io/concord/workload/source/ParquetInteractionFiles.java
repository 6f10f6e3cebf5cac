package io.concord.workload.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Integer-id interactions from plain Parquet files, read on the driver with parquet-hadoop's low-level API instead of
 * a Spark SQL job: {@code ParquetFileReader} fetches only the user, item and split column chunks of each row group,
 * and their pages are decoded here in bulk (dictionary ids and plain integers directly, other encodings through
 * parquet-column's value readers); no records are assembled. The files are read in parallel.
 *
 * <p>Why: the graph ends up on the driver anyway (see {@link InteractionTables}), and reading Gowalla's 1.03 M pairs
 * through Spark SQL cost ~1 s of fixed per-job work (file listing, a footer-reading job for the schema, planning and
 * code generation, a scan job, task results through Kryo) against 0.05–0.06 s for the text files
 * ({@code scripts/bench-table-read}, docs/data.md); this reader takes about as long as the text files.
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
        List<long[]> raw = new ArrayList<>();
        try {
            List<FileStatus> trainFiles = files(train, conf);
            List<FileStatus> testFiles = test == null ? List.of() : files(test, conf);
            if (trainFiles == null || testFiles == null) {
                return null;
            }
            // each source has its own schema, as Spark infers one per source
            Layout trainLayout = layout(trainFiles.get(0), conf, columns, test == null && columns.split() != null);
            Layout testLayout = test == null ? null : layout(testFiles.get(0), conf, columns, false);
            if (trainLayout == null || test != null && testLayout == null) {
                return null;
            }
            List<FileStatus> files = new ArrayList<>(trainFiles);
            files.addAll(testFiles);
            // the files in parallel (this thread and the common pool's), each one's packings in row-group order
            List<List<long[]>> perFile = IntStream.range(0, files.size()).parallel().mapToObj(f -> {
                boolean isTest = f >= trainFiles.size();
                return readFile(files.get(f), conf, isTest ? testLayout : trainLayout, isTest ? 1 : 0);
            }).toList();
            for (List<long[]> packings : perFile) {
                if (packings == null) {
                    return null;
                }
                raw.addAll(packings);
            }
        } catch (IOException | RuntimeException e) {
            return null; // Spark reads it again and reports what is wrong
        }
        if (raw.stream().allMatch(p -> p.length == 2)) {
            return null; // no rows: the Spark path's message
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

    /** The columns to read as the footer of a source's first file gives them, or null. */
    private static Layout layout(FileStatus file, Configuration conf, InteractionColumns columns, boolean split)
            throws IOException {
        try (ParquetFileReader reader = open(file, conf)) {
            FileMetaData meta = reader.getFileMetaData();
            return Layout.of(meta.getSchema(), meta.getKeyValueMetaData().get(SPARK_SCHEMA), columns, split);
        }
    }

    private static ParquetFileReader open(FileStatus file, Configuration conf) throws IOException {
        return ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf),
                HadoopReadOptions.builder(conf, file.getPath()).build());
    }

    /**
     * One {@code [0, 0, u, i, flag, …]} packing per row group of the file (flag 0 = train, 1 = test), as
     * {@link InteractionTables}' scan packs a task (whose first two counts are the null ids, here none); null where
     * the file's schema is not the source's, at a null id, a split value that is neither train nor test, or a row
     * group too large for one packing.
     */
    private static List<long[]> readFile(FileStatus file, Configuration conf, Layout layout, int sourceFlag) {
        List<long[]> raw = new ArrayList<>();
        try (ParquetFileReader reader = open(file, conf)) {
            FileMetaData meta = reader.getFileMetaData();
            if (!layout.schema.equals(meta.getSchema())
                    || !Objects.equals(layout.sparkSchema, meta.getKeyValueMetaData().get(SPARK_SCHEMA))) {
                return null; // Spark would take one file's schema for all
            }
            return readRowGroups(reader, layout, sourceFlag, raw) ? raw : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends the packings of {@link #readFile}; false where that gives null. */
    private static boolean readRowGroups(ParquetFileReader reader, Layout layout, int sourceFlag, List<long[]> raw)
            throws IOException {
        reader.setRequestedSchema(layout.projection);
        for (PageReadStore group = reader.readNextRowGroup(); group != null; group = reader.readNextRowGroup()) {
            long rows = group.getRowCount();
            if (rows > (Integer.MAX_VALUE - 16) / 3) {
                return false;
            }
            long[] packed = new long[2 + (int) rows * 3];
            if (!decode(group.getPageReader(layout.user), layout.user, packed, 2)
                    || !decode(group.getPageReader(layout.item), layout.item, packed, 3)) {
                return false;
            }
            if (layout.split != null) {
                if (!decode(group.getPageReader(layout.split), layout.split, packed, 4)) {
                    return false;
                }
            } else {
                for (int q = 4; q < packed.length; q += 3) {
                    packed[q] = sourceFlag;
                }
            }
            raw.add(packed);
        }
        return true;
    }

    /**
     * Decodes the pages of one column chunk into {@code packed[from + 3r]} for its rows {@code r}: integer ids, or
     * the split flag ({@code test} / {@code true} = 1, {@code train} / {@code false} = 0). False at a null or a split
     * value that is neither (the Spark path reports those).
     */
    private static boolean decode(PageReader pages, ColumnDescriptor column, long[] packed, int from)
            throws IOException {
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        int maxDef = column.getMaxDefinitionLevel();
        DictionaryPage dictionaryPage = pages.readDictionaryPage();
        Dictionary dictionary = dictionaryPage == null ? null
                : dictionaryPage.getEncoding().initDictionary(column, dictionaryPage);
        long[] dictionaryValues = null; // ids or flags by dictionary id
        if (dictionary != null) {
            dictionaryValues = new long[dictionary.getMaxId() + 1];
            for (int d = 0; d < dictionaryValues.length; d++) {
                dictionaryValues[d] = switch (type) {
                    case INT32 -> dictionary.decodeToInt(d);
                    case INT64 -> dictionary.decodeToLong(d);
                    case BINARY -> splitFlag(dictionary.decodeToBinary(d));
                    default -> throw new IOException(column + ": a dictionary of " + type);
                };
            }
        }
        int at = from;
        int[] ids = new int[0];
        for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
            int count = page.getValueCount();
            if (at + 3L * (count - 1) >= packed.length) {
                throw new IOException(column + ": more values than rows");
            }
            Levels levels;
            Encoding encoding;
            ByteBufferInputStream in;
            if (page instanceof DataPageV1 v1) {
                in = v1.getBytes().toInputStream();
                v1.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL).initFromPage(count, in);
                ValuesReader dl = v1.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
                dl.initFromPage(count, in);
                levels = dl::readInteger;
                encoding = v1.getValueEncoding();
            } else {
                DataPageV2 v2 = (DataPageV2) page;
                RunLengthBitPackingHybridDecoder dl = maxDef == 0 ? null : new RunLengthBitPackingHybridDecoder(
                        BytesUtils.getWidthFromMaxInt(maxDef), v2.getDefinitionLevels().toInputStream());
                levels = dl == null ? () -> 0 : dl::readInt;
                encoding = v2.getDataEncoding();
                in = v2.getData().toInputStream();
            }
            if (maxDef > 0) {
                for (int k = 0; k < count; k++) {
                    if (levels.next() < maxDef) {
                        return false;
                    }
                }
            }
            int end = at + 3 * count;
            if (encoding == Encoding.PLAIN && type == PrimitiveTypeName.INT32) {
                ByteBuffer plain = in.slice(4 * count).order(ByteOrder.LITTLE_ENDIAN);
                for (; at < end; at += 3) {
                    packed[at] = plain.getInt();
                }
            } else if (encoding == Encoding.PLAIN && type == PrimitiveTypeName.INT64) {
                ByteBuffer plain = in.slice(8 * count).order(ByteOrder.LITTLE_ENDIAN);
                for (; at < end; at += 3) {
                    packed[at] = plain.getLong();
                }
            } else if (encoding.usesDictionary()) {
                if (dictionaryValues == null) {
                    throw new IOException(column + ": a dictionary-encoded page without a dictionary");
                }
                if (ids.length < count + 8) {
                    ids = new int[count + 8];
                }
                dictionaryIds(in, count, ids);
                for (int k = 0; at < end; at += 3) {
                    packed[at] = dictionaryValues[ids[k++]];
                }
            } else {
                ValuesReader values = encoding.getValuesReader(column, ValuesType.VALUES);
                values.initFromPage(count, in);
                if (type == PrimitiveTypeName.INT32) {
                    for (; at < end; at += 3) {
                        packed[at] = values.readInteger();
                    }
                } else if (type == PrimitiveTypeName.INT64) {
                    for (; at < end; at += 3) {
                        packed[at] = values.readLong();
                    }
                } else if (type == PrimitiveTypeName.BOOLEAN) {
                    for (; at < end; at += 3) {
                        packed[at] = values.readBoolean() ? 1 : 0;
                    }
                } else {
                    for (; at < end; at += 3) {
                        packed[at] = splitFlag(values.readBytes());
                    }
                }
            }
            if (type == PrimitiveTypeName.BINARY) {
                for (int q = end - 3 * count; q < end; q += 3) {
                    if (packed[q] == 2) {
                        return false;
                    }
                }
            }
        }
        if (at != packed.length + from - 2) {
            throw new IOException(column + ": fewer values than rows");
        }
        return true;
    }

    /**
     * The dictionary ids of a page's values ({@code count} of them, no nulls) into {@code ids} (at least
     * {@code count + 8} long): the bit width in one byte, then the RLE / bit-packed hybrid runs, decoded in bulk
     * (what {@code DictionaryValuesReader} does one value at a time).
     */
    private static void dictionaryIds(ByteBufferInputStream in, int count, int[] ids) throws IOException {
        ByteBuffer b = in.slice(in.available());
        int bitWidth = b.get() & 0xff;
        if (bitWidth > 32) {
            throw new IOException("dictionary id bit width " + bitWidth);
        }
        BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
        int valueBytes = (bitWidth + 7) / 8;
        for (int n = 0; n < count; ) {
            int header = unsignedVarInt(b);
            if ((header & 1) == 0) { // a run of one value
                int value = 0;
                for (int k = 0; k < valueBytes; k++) {
                    value |= (b.get() & 0xff) << (8 * k);
                }
                int run = header >>> 1;
                Arrays.fill(ids, n, (int) Math.min(count, (long) n + run), value);
                n += Math.min(run, count - n);
            } else { // groups of 8 bit-packed values; the last one of a stream may be cut short
                for (int g = header >>> 1; g > 0 && n < count; g--, n += 8) {
                    if (b.remaining() >= bitWidth) {
                        packer.unpack8Values(b, b.position(), ids, n);
                        b.position(b.position() + bitWidth);
                    } else {
                        byte[] last = new byte[bitWidth];
                        b.get(last, 0, b.remaining());
                        packer.unpack8Values(last, 0, ids, n);
                    }
                }
            }
        }
    }

    private static int unsignedVarInt(ByteBuffer b) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xff;
            value |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
    }

    /** The definition levels of a page. */
    private interface Levels {
        int next() throws IOException;
    }

    /** As the Spark path's flag: {@code test} / {@code true} = 1, {@code train} / {@code false} = 0, else 2. */
    private static int splitFlag(Binary value) {
        return TEST.equals(value) || TRUE.equals(value) ? 1 : TRAIN.equals(value) || FALSE.equals(value) ? 0 : 2;
    }
}
