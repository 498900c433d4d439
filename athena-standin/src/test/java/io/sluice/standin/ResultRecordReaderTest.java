package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultRecordReaderTest {
    @Test
    void csvRecordsKeepNullsEmptiesQuotesAndNewlines() throws IOException {
        String csv = "\"a\",\"b\",\"c\"\n\"x \"\"q\"\"\",,\"\"\n\"multi\nline\",\"ü\",\n";

        List<List<String>> records = readAll(ResultRecordReader.csv(stream(csv), 0));

        assertThat(records).containsExactly(List.of("a", "b", "c"), Arrays.asList("x \"q\"", null, ""),
                Arrays.asList("multi\nline", "ü", null));
    }

    @Test
    void csvPositionsResumeExactlyAfterARecord() throws IOException {
        String csv = "\"h\"\n\"ü1\"\n\"2\"\n";
        ResultRecordReader reader = ResultRecordReader.csv(stream(csv), 0);
        reader.next();
        reader.next();
        long position = reader.position();

        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        ResultRecordReader resumed = ResultRecordReader.csv(
                new ByteArrayInputStream(bytes, (int) position, bytes.length - (int) position), position);
        assertThat(readAll(resumed)).containsExactly(List.of("2"));
        assertThat(resumed.position()).isEqualTo(bytes.length);
    }

    @Test
    void textLinesHaveNoFinalTerminator() throws IOException {
        assertThat(readAll(ResultRecordReader.text(stream("a\nb"), 0))).containsExactly(List.of("a"), List.of("b"));
        assertThat(readAll(ResultRecordReader.text(stream(""), 0))).isEmpty();
        assertThat(readAll(ResultRecordReader.text(stream("\n"), 0))).containsExactly(List.of(""), List.of(""));
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<List<String>> readAll(ResultRecordReader reader) throws IOException {
        List<List<String>> records = new ArrayList<>();
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }
}
