package io.concord.data.io;

import io.concord.data.DataException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of one UTF-8 text stream, numbered from 1, with two guarantees plain {@code BufferedReader}s lack: a line
 * longer than the limit is rejected while it is read (memory stays bounded by the limit), and bytes that are not
 * valid UTF-8 are rejected (never decoded to U+FFFD). Both go to {@link BadRecords#reject} (an error naming file and
 * line, or a counted skip after which reading goes on at the next line). Lines end at {@code \n}; a {@code \r}
 * before it and a UTF-8 byte order mark at the start of the stream are dropped. I/O failures are
 * {@link DataException}s naming the file.
 */
public final class TextLines implements Closeable {

    private static final int BUFFER = 1 << 16;

    private final String source;
    private final InputStream in;
    private final long maxBytes;
    private final BadRecords bad;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[BUFFER];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;
    private boolean eof;

    public TextLines(String source, InputStream in, long maxBytes, BadRecords bad) {
        this.source = source;
        this.in = in;
        this.maxBytes = maxBytes;
        this.bad = bad;
    }

    public String source() {
        return source;
    }

    /** 1-based number of the line {@link #next} returned last. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Rejects the current line as a bad record ({@link BadRecords#reject}). */
    public void reject(String reason) {
        bad.reject(source, lineNumber, reason);
    }

    /** The next good line without its terminator, or null at the end. */
    public String next() {
        while (true) {
            int length = readLine();
            if (length < 0) {
                return null;
            }
            if (length > maxBytes) {
                reject("line longer than " + maxBytes + " bytes (data.maxRecordBytes)");
                continue;
            }
            int start = lineNumber == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
                    && line[2] == (byte) 0xBF ? 3 : 0;
            String text = decode(start, length);
            if (text != null) {
                return text;
            }
        }
    }

    private String decode(int start, int length) {
        boolean ascii = true;
        for (int i = start; i < length; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(line, start, length - start, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(line, start, length - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            reject("not valid UTF-8 (byte " + (firstInvalid(start, length) + 1) + " of the line)");
            return null;
        }
    }

    /** Offset of the first byte of the first invalid sequence. */
    private int firstInvalid(int start, int length) {
        ByteBuffer bytes = ByteBuffer.wrap(line, start, length - start);
        CharBuffer out = CharBuffer.allocate(length - start + 1);
        utf8.reset().decode(bytes, out, true);
        return bytes.position();
    }

    /**
     * Reads one line into {@code line}; returns its length in bytes (without {@code \r\n}), more than
     * {@code maxBytes} for a line over the limit (consumed to its end, stored only up to {@code maxBytes + 1} bytes),
     * or -1 at the end of the stream.
     */
    private int readLine() {
        if (eof && pos >= limit) {
            return -1;
        }
        long length = 0;
        boolean any = false;
        while (true) {
            if (pos >= limit && !fill()) {
                break;
            }
            any = true;
            int nl = indexOf((byte) '\n', pos, limit);
            int end = nl < 0 ? limit : nl;
            int chunk = end - pos;
            if (length + chunk <= maxBytes + 1) {
                ensure((int) (length + chunk));
                System.arraycopy(buffer, pos, line, (int) length, chunk);
            }
            length += chunk;
            pos = nl < 0 ? limit : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        if (!any) {
            return -1;
        }
        lineNumber++;
        if (length > maxBytes + 1) {
            return (int) (maxBytes + 1);
        }
        int n = (int) length;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return n;
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from, int to) {
        return indexOf(buffer, b, from, to);
    }

    private void ensure(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(Math.max(capacity, 2L * line.length), maxBytes + 1));
        }
    }

    private boolean fill() {
        if (eof) {
            return false;
        }
        try {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                eof = true;
                pos = limit = 0;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new DataException(source, lineNumber + 1, "cannot read: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new DataException(source, "cannot close: " + e.getMessage(), e);
        }
    }
}
