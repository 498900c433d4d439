package io.sluice.result;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;

class AthenaCsvTest {

    @TempDir
    Path root;

    private byte[] csvBytes(ResultReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.writeCsv(out);
        return out.toByteArray();
    }

    @Test
    void matchesAthenasExampleByteForByte() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("k1", "varchar", "k2", "varchar", "k3", "varchar"), List.of(
                new Object[] {"r1_v1", "r1_v2", "1"},
                new Object[] {"r3_v1", "r3_v2", null}));

        byte[] csv = csvBytes(open(store, id, 1));

        assertThat(csv).isEqualTo("\"k1\",\"k2\",\"k3\"\n\"r1_v1\",\"r1_v2\",\"1\"\n\"r3_v1\",\"r3_v2\",\n"
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotesEveryValueDoublesQuotesAndKeepsLineBreaksInsideQuotes() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("s", "varchar", "n", "bigint", "d", "double", "b", "boolean", "e", "varchar"),
                List.of(new Object[] {"say \"hi\", ok", 42L, 1.5, true, ""},
                        new Object[] {"two\nlines", -7L, Double.NaN, false, null},
                        new Object[] {"\"", null, 1e21, null, "null"},
                        new Object[] {"é中😀", 0L, Double.NEGATIVE_INFINITY, true, "a\r\nb"}));

        String csv = Results.csv(open(store, id, 1));

        assertThat(csv).isEqualTo("""
                "s","n","d","b","e"
                "say ""hi"", ok","42","1.5","true",""
                "two
                lines","-7","NaN","false",
                \"""\",,"1.0E21",,"null"
                "é中😀","0","-Infinity","true","a\r
                b"
                """);
    }

    @Test
    void headerNamesAreQuotedLikeValues() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("a \"b\"", "varchar", "c,d", "varchar", "", "varchar"), List.of());

        assertThat(Results.csv(open(store, id, 1))).isEqualTo("\"a \"\"b\"\"\",\"c,d\",\"\"\n");
    }

    @Test
    void isUtf8WithoutByteOrderMark() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("ü", "varchar"), List.<Object[]>of(new Object[] {"€"}));

        byte[] csv = csvBytes(open(store, id, 1));

        assertThat(csv).startsWith('"', (byte) 0xC3, (byte) 0xBC, '"', '\n');
        assertThat(csv).isEqualTo(new byte[] {'"', (byte) 0xC3, (byte) 0xBC, '"', '\n',
                '"', (byte) 0xE2, (byte) 0x82, (byte) 0xAC, '"', '\n'});
    }

    @Test
    void trickyAndLongStringsSurviveCsvQuoting() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        List<Object[]> rows = new ArrayList<>();
        StringBuilder expected = new StringBuilder("\"v\"\n");
        for (String s : ResultRoundTripTest.TRICKY_STRINGS) {
            rows.add(new Object[] {s});
            expected.append('"').append(s.replace("\"", "\"\"")).append("\"\n");
        }
        rows.add(new Object[] {ResultRoundTripTest.LONG_STRING});
        expected.append('"').append(ResultRoundTripTest.LONG_STRING.replace("\"", "\"\"")).append("\"\n");
        String id = newId();
        publish(store, id, 1, columns("v", "varchar"), rows);

        assertThat(Results.csv(open(store, id, 1))).isEqualTo(expected.toString());
    }

    @Test
    void doesNotCloseTheCallersStream() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("v", "bigint"), List.<Object[]>of(new Object[] {1L}));
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };

        open(store, id, 1).writeCsv(out);

        assertThat(closed[0]).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\"v\"\n\"1\"\n");
    }
}
