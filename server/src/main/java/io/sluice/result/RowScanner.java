package io.sluice.result;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Reads the rows of {@code rows.jsonl} value by value, through one fixed buffer and positional
 * reads of a {@link ByteSource} (nothing is shared between readers).
 *
 * <p>The rows are what {@link ResultFileWriter} writes: {@code [v,v,...]\n}, no whitespace, each
 * value {@code null}, {@code true}, {@code false}, a JSON number or a JSON string (UTF-8, control
 * characters, {@code "} and {@code \} escaped). A string is never held whole: it is copied out in
 * pieces as it is read, up to the limits the caller gives, and the rest is skipped while its size
 * is counted. So memory stays at the buffer's size whatever a stored value's length.
 *
 * <p>Use: {@link #nextRow}, then {@link #next} until {@link Token#END_OF_ROW}; after each value
 * token, consume the value with {@link #string}, {@link #literal} or {@link #skipValue}.
 */
final class RowScanner {

    /** What comes next in a row. */
    enum Token { STRING, NUMBER, TRUE, FALSE, NULL, END_OF_ROW }

    /** How {@link #string} writes a string's content. */
    enum Encoding {
        /** As stored: JSON-escaped, without the quotes, ready to embed in JSON. */
        JSON,
        /** The value's text in UTF-8. */
        TEXT,
        /** The value's text in UTF-8 with every {@code "} doubled: a quoted CSV field's content. */
        CSV
    }

    /** What reading one string found. Reused from call to call. */
    static final class StringRead {
        /** The whole value's size in UTF-8 bytes. */
        long valueBytes;
        /** Bytes written to the output. */
        long written;
        /** Whether the output holds only a prefix of the value. */
        boolean cut;
    }

    /** Longest number or literal the writer produces is 24 bytes ({@code -4.9E-324} and the like). */
    private static final int MAX_LITERAL_BYTES = 64;
    /** The longest escape: a surrogate pair, {@code \\uD83D\\uDE00}. */
    private static final int MAX_ESCAPE_BYTES = 12;

    private final ByteSource source;
    private final byte[] buffer;
    private final ByteBuffer wrapped;
    private final byte[] utf8 = new byte[4];
    private long bufferStart;
    private int position;
    private int limit;
    /** Values read in the current row, or -1 outside a row. */
    private int valuesInRow = -1;

    RowScanner(ByteSource source, long start, int bufferBytes) {
        if (bufferBytes < 4 * MAX_ESCAPE_BYTES) {
            throw new IllegalArgumentException("buffer too small: " + bufferBytes);
        }
        this.source = source;
        this.buffer = new byte[bufferBytes];
        this.wrapped = ByteBuffer.wrap(buffer);
        this.bufferStart = start;
    }

    /** The file position of the next unread byte. */
    long position() {
        return bufferStart + position;
    }

    /** Continues reading at {@code filePosition}, which must be the start of a row. */
    void seek(long filePosition) {
        if (filePosition >= bufferStart && filePosition <= bufferStart + limit) {
            position = (int) (filePosition - bufferStart);
        } else {
            bufferStart = filePosition;
            position = 0;
            limit = 0;
        }
        valuesInRow = -1;
    }

    /** Skips {@code count} whole rows; must be called between rows. */
    void skipRows(long count) throws IOException {
        while (count > 0) {
            if (position == limit && !fill()) {
                throw new EOFException("result data ends before its last row");
            }
            int i = position;
            int end = limit;
            byte[] b = buffer;
            while (i < end && count > 0) {
                if (b[i++] == '\n') {
                    count--;
                }
            }
            position = i;
        }
    }

    /** Starts the next row: false at the end of the data. */
    boolean nextRow() throws IOException {
        if (valuesInRow >= 0) {
            throw new IllegalStateException("the current row was not read to its end");
        }
        if (!available(1)) {
            return false;
        }
        expect('[');
        valuesInRow = 0;
        return true;
    }

    /** The next value's token, or {@link Token#END_OF_ROW} once the row's {@code ]} and line end are read. */
    Token next() throws IOException {
        if (valuesInRow < 0) {
            throw new IllegalStateException("not inside a row");
        }
        if (peek() == ']') {
            position++;
            expect('\n');
            valuesInRow = -1;
            return Token.END_OF_ROW;
        }
        if (valuesInRow > 0) {
            expect(',');
        }
        valuesInRow++;
        byte b = peek();
        return switch (b) {
            case '"' -> Token.STRING;
            case 'n' -> Token.NULL;
            case 't' -> Token.TRUE;
            case 'f' -> Token.FALSE;
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Token.NUMBER;
            default -> throw malformed("unexpected byte " + (b & 0xff));
        };
    }

    /** Skips the value whose token {@link #next} just returned. */
    void skipValue(Token token, StringRead read) throws IOException {
        if (token == Token.STRING) {
            string(Encoding.TEXT, null, 0, 0, read);
        } else {
            literal(null);
        }
    }

    /**
     * Copies the number, {@code true}, {@code false} or {@code null} at hand as stored.
     *
     * @param out where to (null: skip it)
     * @return its length in bytes
     */
    int literal(OutputStream out) throws IOException {
        int length = 0;
        while (true) {
            if (position == limit && !fill()) {
                throw malformed("data ends inside a value");
            }
            int start = position;
            int i = start;
            while (i < limit && buffer[i] != ',' && buffer[i] != ']') {
                i++;
            }
            length += i - start;
            if (length > MAX_LITERAL_BYTES) {
                throw malformed("a value runs on past " + MAX_LITERAL_BYTES + " bytes");
            }
            if (out != null) {
                out.write(buffer, start, i - start);
            }
            position = i;
            if (i < limit) {
                return length;
            }
        }
    }

    /**
     * Reads the string at hand, writing its content to {@code out} until the next character would
     * take the value past {@code maxValueBytes} UTF-8 bytes or the output past {@code maxOutBytes};
     * the rest is read and counted but not written. A cut falls between two characters (and never
     * inside an escape), so what was written is always a well-formed prefix.
     *
     * @param out  where to write (null: skip the string, writing nothing)
     * @param read receives the value's size, the bytes written and whether the output was cut
     */
    void string(Encoding encoding, OutputStream out, long maxValueBytes, long maxOutBytes, StringRead read)
            throws IOException {
        expect('"');
        boolean writing = out != null;
        boolean cut = false;
        long value = 0;
        long written = 0;
        while (true) {
            if (position == limit && !fill()) {
                throw malformed("data ends inside a string");
            }
            byte b = buffer[position];
            if (b == '"') {
                position++;
                break;
            }
            if (b == '\\') {
                int raw = escapeLength();
                int codePoint = escapedCodePoint(raw);
                int valueLength = Utf8.length(codePoint);
                if (writing) {
                    int outLength = switch (encoding) {
                        case JSON -> raw;
                        case TEXT -> valueLength;
                        case CSV -> codePoint == '"' ? 2 : valueLength;
                    };
                    if (valueLength <= maxValueBytes - value && outLength <= maxOutBytes - written) {
                        writeEscape(encoding, out, raw, codePoint);
                        written += outLength;
                    } else {
                        writing = false;
                        cut = true;
                    }
                }
                value += valueLength;
                position += raw;
                continue;
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '"' && buffer[end] != '\\') {
                end++;
            }
            if (end == limit) {
                end = wholeCharactersEnd(start, end);
                if (end == start) { // only the start of a character is buffered: fetch the rest
                    if (!fill()) {
                        throw malformed("data ends inside a character");
                    }
                    continue;
                }
            }
            int n = end - start;
            if (writing) {
                long room = Math.min(maxValueBytes - value, maxOutBytes - written);
                if (n <= room) {
                    out.write(buffer, start, n);
                    written += n;
                } else {
                    int stop = start + (int) Math.max(0, room);
                    while (stop > start && Utf8.isContinuation(buffer[stop])) {
                        stop--; // back to the start of the character the cut would split
                    }
                    out.write(buffer, start, stop - start);
                    written += stop - start;
                    writing = false;
                    cut = true;
                }
            }
            value += n;
            position = end;
        }
        read.valueBytes = value;
        read.written = written;
        read.cut = cut;
    }

    /** The length of the escape at {@code position}, its bytes made available. */
    private int escapeLength() throws IOException {
        if (!available(2)) {
            throw malformed("data ends inside an escape");
        }
        if (buffer[position + 1] != 'u') {
            return 2;
        }
        if (!available(6)) {
            throw malformed("data ends inside an escape");
        }
        int unit = hex(position + 2);
        if (Character.isHighSurrogate((char) unit) && available(MAX_ESCAPE_BYTES)
                && buffer[position + 6] == '\\' && buffer[position + 7] == 'u'
                && Character.isLowSurrogate((char) hex(position + 8))) {
            return MAX_ESCAPE_BYTES;
        }
        return 6;
    }

    /** The character an escape of {@code raw} bytes at {@code position} stands for; a lone surrogate is U+FFFD. */
    private int escapedCodePoint(int raw) throws IOException {
        if (raw == 2) {
            return switch (buffer[position + 1]) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '/' -> '/';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> throw malformed("unknown escape");
            };
        }
        int unit = hex(position + 2);
        if (raw == MAX_ESCAPE_BYTES) {
            return Character.toCodePoint((char) unit, (char) hex(position + 8));
        }
        return Character.isSurrogate((char) unit) ? 0xFFFD : unit;
    }

    private void writeEscape(Encoding encoding, OutputStream out, int raw, int codePoint) throws IOException {
        if (encoding == Encoding.JSON) {
            out.write(buffer, position, raw);
            return;
        }
        out.write(utf8, 0, Utf8.encode(codePoint, utf8));
        if (encoding == Encoding.CSV && codePoint == '"') {
            out.write('"');
        }
    }

    private int hex(int at) throws IOException {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(buffer[i], 16);
            if (digit < 0) {
                throw malformed("bad \\u escape");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * Where a run of raw bytes ending at the buffer's end may be cut so that it holds whole
     * characters only: before a trailing character whose last bytes are not read yet.
     */
    private int wholeCharactersEnd(int start, int end) {
        int lead = end - 1;
        while (lead > start && end - lead < 4 && Utf8.isContinuation(buffer[lead])) {
            lead--;
        }
        return lead + Utf8.sequenceLength(buffer[lead]) > end ? lead : end;
    }

    private byte peek() throws IOException {
        if (!available(1)) {
            throw malformed("data ends inside a row");
        }
        return buffer[position];
    }

    private void expect(char c) throws IOException {
        if (peek() != c) {
            throw malformed("expected '" + (c == '\n' ? "\\n" : String.valueOf(c)) + "'");
        }
        position++;
    }

    /** Whether at least {@code n} unread bytes are buffered (reading more if needed); false at the end of the file. */
    private boolean available(int n) throws IOException {
        while (limit - position < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Moves the unread bytes to the buffer's start and reads more after them; false at the end of the file. */
    private boolean fill() throws IOException {
        if (position > 0) {
            int unread = limit - position;
            System.arraycopy(buffer, position, buffer, 0, unread);
            bufferStart += position;
            limit = unread;
            position = 0;
        }
        wrapped.limit(buffer.length).position(limit);
        int n;
        do {
            n = source.read(wrapped, bufferStart + limit);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    private IOException malformed(String what) {
        return new IOException("malformed result data at byte " + position() + ": " + what);
    }
}
