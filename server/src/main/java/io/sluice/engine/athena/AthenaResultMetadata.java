package io.sluice.engine.athena;

import io.sluice.engine.Column;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the columns from Athena's {@code <id>.csv.metadata} (protobuf): field 4 is a repeated
 * column message whose field 4 is the name, 5 the label, 6 the type, 7 the precision and 8 the
 * scale (facts file). Only what Sluice needs is decoded; unknown fields are skipped by wire type.
 */
final class AthenaResultMetadata {

    private AthenaResultMetadata() {
    }

    static List<Column> columns(byte[] metadata) throws IOException {
        List<Column> columns = new ArrayList<>();
        Wire wire = new Wire(new ByteArrayInputStream(metadata));
        while (wire.hasMore()) {
            long tag = wire.varint();
            int number = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (number == 4 && type == 2) {
                columns.add(column(wire.bytes()));
            } else {
                wire.skip(type);
            }
        }
        return columns;
    }

    private static Column column(byte[] message) throws IOException {
        Wire wire = new Wire(new ByteArrayInputStream(message));
        String name = null;
        String label = null;
        String type = null;
        long precision = 0;
        long scale = 0;
        while (wire.hasMore()) {
            long tag = wire.varint();
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (wireType == 0 && (number == 7 || number == 8)) {
                long value = wire.varint();
                if (number == 7) {
                    precision = value;
                } else {
                    scale = value;
                }
            } else if (wireType == 2 && (number == 4 || number == 5 || number == 6)) {
                String text = new String(wire.bytes(), StandardCharsets.UTF_8);
                switch (number) {
                    case 4 -> name = text;
                    case 5 -> label = text;
                    default -> type = text;
                }
            } else {
                wire.skip(wireType);
            }
        }
        String shown = label != null && !label.isEmpty() ? label : name;
        if (shown == null || type == null) {
            throw new IOException("result metadata has a column without name or type");
        }
        return new Column(shown, typeName(type, precision, scale));
    }

    /** Athena keeps a decimal's precision and scale beside its type name; Sluice shows them in it. */
    static String typeName(String type, long precision, long scale) {
        if ("decimal".equalsIgnoreCase(type) && precision > 0) {
            return "decimal(" + precision + "," + scale + ")";
        }
        return type;
    }

    /** The bits of the protobuf wire format we read. */
    private static final class Wire {
        private final DataInputStream in;

        Wire(InputStream in) {
            this.in = new DataInputStream(in);
        }

        boolean hasMore() throws IOException {
            return in.available() > 0;
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("truncated result metadata");
                }
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed varint in result metadata");
        }

        byte[] bytes() throws IOException {
            long length = varint();
            if (length < 0 || length > in.available()) {
                throw new IOException("truncated result metadata");
            }
            byte[] out = new byte[(int) length];
            in.readFully(out);
            return out;
        }

        void skip(int wireType) throws IOException {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> in.skipNBytes(8);
                case 2 -> bytes();
                case 5 -> in.skipNBytes(4);
                default -> throw new IOException("unsupported wire type " + wireType + " in result metadata");
            }
        }
    }
}
