package io.sluice.standin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal protobuf wire-format decoder, written independently of the encoder it checks. */
final class ProtobufReader {
    private final byte[] bytes;
    private int position;

    private ProtobufReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Field number to its values: a {@code Long} for varints, a {@code byte[]} for length-delimited. */
    static Map<Integer, List<Object>> decode(byte[] message) {
        ProtobufReader reader = new ProtobufReader(message);
        Map<Integer, List<Object>> fields = new LinkedHashMap<>();
        while (reader.position < message.length) {
            long key = reader.varint();
            int field = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            Object value;
            if (wireType == 0) {
                value = reader.varint();
            } else if (wireType == 2) {
                int length = (int) reader.varint();
                byte[] data = new byte[length];
                System.arraycopy(message, reader.position, data, 0, length);
                reader.position += length;
                value = data;
            } else {
                throw new IllegalArgumentException("unexpected wire type " + wireType);
            }
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    static String string(Map<Integer, List<Object>> fields, int field) {
        return new String((byte[]) fields.get(field).get(0), StandardCharsets.UTF_8);
    }

    static Long number(Map<Integer, List<Object>> fields, int field) {
        List<Object> values = fields.get(field);
        return values == null ? null : (Long) values.get(0);
    }

    private long varint() {
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = bytes[position++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }
}
