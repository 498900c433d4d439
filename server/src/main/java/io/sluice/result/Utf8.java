package io.sluice.result;

/** The few UTF-8 facts the result reader needs to cut text between characters and to count it. */
final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code b} continues a character rather than starting one. */
    static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** The length of the sequence a byte starts (1 for anything that starts none). */
    static int sequenceLength(byte b) {
        if ((b & 0xE0) == 0xC0) {
            return 2;
        }
        if ((b & 0xF0) == 0xE0) {
            return 3;
        }
        if ((b & 0xF8) == 0xF0) {
            return 4;
        }
        return 1;
    }

    /** A code point's length in UTF-8. */
    static int length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    /** Writes a code point's UTF-8 bytes at the start of {@code into} (at least 4 long); returns how many. */
    static int encode(int codePoint, byte[] into) {
        int n = length(codePoint);
        if (n == 1) {
            into[0] = (byte) codePoint;
        } else if (n == 2) {
            into[0] = (byte) (0xC0 | codePoint >> 6);
            into[1] = (byte) (0x80 | codePoint & 0x3F);
        } else if (n == 3) {
            into[0] = (byte) (0xE0 | codePoint >> 12);
            into[1] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            into[2] = (byte) (0x80 | codePoint & 0x3F);
        } else {
            into[0] = (byte) (0xF0 | codePoint >> 18);
            into[1] = (byte) (0x80 | codePoint >> 12 & 0x3F);
            into[2] = (byte) (0x80 | codePoint >> 6 & 0x3F);
            into[3] = (byte) (0x80 | codePoint & 0x3F);
        }
        return n;
    }
}
