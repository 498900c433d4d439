package io.sluice.standin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes Athena's {@code .metadata} companion file, a protobuf message with no published schema.
 * Field numbers as measured on the real service: 1 engine query id, 2 update type, 3 update count,
 * 4 repeated column {1 catalog, 4 name, 5 label, 6 type, 7 precision, 8 scale, 9 nullable (3 =
 * UNKNOWN), 10 case sensitive}. Which of 7, 8 and 10 a column carries depends on its type, not on
 * the value, so they are written even when 0.
 */
final class ResultMetadataFile {
    private static final int NULLABLE_UNKNOWN = 3;

    private ResultMetadataFile() {
    }

    static byte[] encode(String queryId, String updateType, Long updateCount, List<ResultColumn> columns) {
        Protobuf message = new Protobuf();
        message.string(1, queryId);
        if (updateType != null) {
            message.string(2, updateType);
        }
        if (updateCount != null) {
            message.varint(3, updateCount);
        }
        for (ResultColumn column : columns) {
            message.message(4, column(column));
        }
        return message.bytes();
    }

    private static byte[] column(ResultColumn column) {
        AthenaType type = column.type();
        Protobuf message = new Protobuf();
        message.string(1, "hive");
        message.string(4, column.name());
        message.string(5, column.name());
        message.string(6, type.name());
        if (type.metadataHasPrecision()) {
            message.varint(7, type.columnPrecision());
        }
        if (type.metadataHasScale()) {
            message.varint(8, type.columnScale());
        }
        message.varint(9, NULLABLE_UNKNOWN);
        if (type.metadataHasCaseSensitive()) {
            message.varint(10, type.caseSensitive() ? 1 : 0);
        }
        return message.bytes();
    }

    /** The few protobuf wire-format writes the file needs. */
    private static final class Protobuf {
        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] encoded) {
            bytes(field, encoded);
        }

        void varint(int field, long value) {
            raw((long) field << 3 | VARINT);
            raw(value);
        }

        private void bytes(int field, byte[] value) {
            raw((long) field << 3 | LENGTH_DELIMITED);
            raw(value.length);
            out.writeBytes(value);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
