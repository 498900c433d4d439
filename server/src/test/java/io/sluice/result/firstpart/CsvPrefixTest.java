package io.sluice.result.firstpart;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The beginning of an Athena CSV is cut after whole records, quotes and newlines inside values kept. */
class CsvPrefixTest {

    private static final String CSV = "\"a\",\"b\"\n"
            + "\"1\",\"x\"\n"
            + "\"2\",\"line\nbreak and \"\"quote\"\"\"\n"
            + "\"3\",\n"
            + "\"4\",\"z\"\n";

    @Test
    void stopsAfterTheRowsAskedForAndGivesTheWholeFileBack() throws IOException {
        InputStream in = new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8));
        CsvPrefix prefix = CsvPrefix.read(in, 2, 1 << 20);
        assertThat(prefix.ended()).isFalse();
        assertThat(prefix.rows()).isEqualTo(2);
        assertThat(text(prefix.part())).isEqualTo("\"a\",\"b\"\n\"1\",\"x\"\n\"2\",\"line\nbreak and \"\"quote\"\"\"\n");
        assertThat(text(prefix.whole(in))).isEqualTo(CSV);
    }

    @Test
    void stopsAtTheByteLimitAfterTheLastWholeRecord() throws IOException {
        InputStream in = new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8));
        CsvPrefix prefix = CsvPrefix.read(in, 100, 20);
        assertThat(prefix.rows()).isEqualTo(1);
        assertThat(text(prefix.part())).isEqualTo("\"a\",\"b\"\n\"1\",\"x\"\n");
        assertThat(text(prefix.whole(in))).isEqualTo(CSV);
    }

    @Test
    void aFileShorterThanTheFirstPartEnds() throws IOException {
        CsvPrefix prefix = CsvPrefix.read(new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)), 100, 1 << 20);
        assertThat(prefix.ended()).isTrue();
        assertThat(prefix.rows()).isEqualTo(4);
    }

    @Test
    void readsAtMostTheByteLimitAndOneChunkWhateverTheFileSize() throws IOException {
        InputStream endless = new InputStream() {
            private final byte[] row = "\"12345\",\"abcdefgh\"\n".getBytes(StandardCharsets.US_ASCII);
            private long position;

            @Override
            public int read() {
                return row[(int) (position++ % row.length)];
            }
        };
        CsvPrefix prefix = CsvPrefix.read(endless, 1_000_000, 100_000);
        assertThat(prefix.ended()).isFalse();
        assertThat(prefix.rows()).isEqualTo(100_000 / 19 - 1); // the first record is the header
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
