package io.sluice.result;

import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Athena's CSV copied record by record: quoted line ends and doubled quotes, limits at record boundaries. */
class CsvCopyTest {

    static final String CSV = "\"a\",\"b\"\n\"1\",\"x\"\"\n,y\"\n,\"\"\n\"3\",\"z\"\n";

    @Test
    void countsRecordsNotLinesAndCopiesEveryByte() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvCopy.Copied copied = CsvCopy.copy(slowly(CSV), out, ResultLimits.NONE);
        assertThat(copied.rows()).isEqualTo(3);
        assertThat(copied.truncation()).isNull();
        assertThat(copied.fileLength()).isEqualTo(CSV.length());
        assertThat(copied.dataBytes()).isEqualTo(CSV.length() - "\"a\",\"b\"\n".length());
        assertThat(copied.longestRecord()).isEqualTo("\"1\",\"x\"\"\n,y\"\n".length());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(CSV);
    }

    @Test
    void limitsStopAtTheLastWholeRecordThatFits() throws IOException {
        CsvCopy.Copied byRows = CsvCopy.copy(slowly(CSV), new ByteArrayOutputStream(), new ResultLimits(2, Long.MAX_VALUE));
        assertThat(byRows.rows()).isEqualTo(2);
        assertThat(byRows.truncation().reason()).isEqualTo(ResultTruncation.Reason.MAX_RESULT_ROWS);
        assertThat(CSV.substring(0, (int) byRows.fileLength())).endsWith(",\"\"\n");

        CsvCopy.Copied byBytes = CsvCopy.copy(slowly(CSV), new ByteArrayOutputStream(), new ResultLimits(10, 15));
        assertThat(byBytes.rows()).isEqualTo(1);
        assertThat(byBytes.dataBytes()).isEqualTo("\"1\",\"x\"\"\n,y\"\n".length());
        assertThat(byBytes.truncation().reason()).isEqualTo(ResultTruncation.Reason.MAX_RESULT_BYTES);

        CsvCopy.Copied exactly = CsvCopy.copy(slowly(CSV), new ByteArrayOutputStream(), new ResultLimits(3, Long.MAX_VALUE));
        assertThat(exactly.rows()).isEqualTo(3);
        assertThat(exactly.truncation()).isNull();
    }

    @Test
    void everyStrideTHRecordStartIsToldWithItsOffsetInItsPart() throws IOException {
        // Records 0..3 (after the header); parts of 2 records; an index entry every 2nd record.
        String csv = CSV + "\"4\",\"w\"\n";
        List<String> marks = new ArrayList<>();
        List<ByteArrayOutputStream> outputs = new ArrayList<>();
        CsvCopy.Parts parts = new CsvCopy.Parts() {
            @Override
            public OutputStream open(int k) {
                outputs.add(new ByteArrayOutputStream());
                return outputs.get(k);
            }

            @Override
            public void complete(int k, long rows, long length, long longestRecord) {
            }

            @Override
            public int indexStride() {
                return 2;
            }

            @Override
            public void recordStart(long record, long offsetInPart) {
                marks.add(record + "@" + offsetInPart);
            }
        };
        CsvCopy.Copied copied = CsvCopy.copy(slowly(csv), parts, ResultLimits.NONE, 2);
        assertThat(copied.rows()).isEqualTo(4);
        // Record 0 starts after the header in part 0; record 2 at the start of part 1; record 4 (past the
        // end: not a row) at the start of part 2.
        assertThat(marks).containsExactly("0@" + "\"a\",\"b\"\n".length(), "2@0", "4@0");
        assertThat(outputs.get(1).toString(StandardCharsets.UTF_8)).isEqualTo("\"3\",\"z\"\n\"4\",\"w\"\n"); // records 2 and 3
    }

    @Test
    void aFileThatEndsInsideAValueOrARecordIsMalformed() {
        assertThatThrownBy(() -> CsvCopy.copy(slowly("\"a\"\n\"open\n"), new ByteArrayOutputStream(), ResultLimits.NONE))
                .isInstanceOf(CsvSink.MalformedCsv.class).hasMessageContaining("inside a quoted value");
        assertThatThrownBy(() -> CsvCopy.copy(slowly("\"a\"\n\"1\""), new ByteArrayOutputStream(), ResultLimits.NONE))
                .isInstanceOf(CsvSink.MalformedCsv.class).hasMessageContaining("line end");
    }

    @Test
    void partsHoldWholeRecordsTheFirstTheHeaderAndAreToldAsTheyEnd() throws IOException {
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        List<String> completed = new ArrayList<>();
        CsvCopy.Parts parts = new CsvCopy.Parts() {
            @Override
            public OutputStream open(int k) {
                assertThat(k).isEqualTo(outs.size());
                outs.add(new ByteArrayOutputStream());
                return outs.get(k);
            }

            @Override
            public void complete(int k, long rows, long length, long longestRecord) {
                completed.add(k + ":" + rows + ":" + outs.get(k).toString(StandardCharsets.UTF_8).substring(0, (int) length));
            }
        };
        CsvCopy.Copied copied = CsvCopy.copy(slowly(CSV), parts, ResultLimits.NONE, 2);
        assertThat(completed).containsExactly("0:2:\"a\",\"b\"\n\"1\",\"x\"\"\n,y\"\n,\"\"\n");
        assertThat(outs).hasSize(2);
        assertThat(outs.get(1).toString(StandardCharsets.UTF_8)).isEqualTo("\"3\",\"z\"\n");
        assertThat(copied.rows()).isEqualTo(3);
        assertThat(copied.fileLength()).as("the last part's length").isEqualTo("\"3\",\"z\"\n".length());

        // A limit right after a part: the last part holds only the refused record's beginning, cut to nothing.
        outs.clear();
        completed.clear();
        CsvCopy.Copied cut = CsvCopy.copy(slowly(CSV), parts, new ResultLimits(2, Long.MAX_VALUE), 2);
        assertThat(completed).hasSize(1);
        assertThat(cut.rows()).isEqualTo(2);
        assertThat(cut.fileLength()).isZero();
        assertThat(cut.truncation().reason()).isEqualTo(ResultTruncation.Reason.MAX_RESULT_ROWS);
    }

    /** The text in reads of at most 3 bytes, so that records and quotes span reads. */
    private static InputStream slowly(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }
}
