package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.parseRow;
import static io.sluice.result.Results.publish;
import static io.sluice.result.Results.utf8Prefix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a page, one value and the CSV of a result that holds a ~106 MB value allocates a small
 * multiple of the page budget on the reading thread, not the value's size: the value is copied
 * only as far as it is shown and otherwise streamed through fixed buffers.
 */
class BoundedReadMemoryTest {

    private static final PageBudget BUDGET = new PageBudget(1024 * 1024, 64 * 1024);
    /** Quotes and line breaks are escaped when stored, é is two bytes: every kind of byte is in it. */
    private static final String UNIT = "0123456789abcdef\"\né";
    private static final List<Column> COLUMNS = columns("n", "bigint", "big", "varchar", "s", "varchar");

    @TempDir
    static Path root;
    static ResultReader reader;
    static ResultReader small;
    static byte[] bigUtf8;
    static byte[] csv;

    @BeforeAll
    static void storeAHundredMegabyteValue() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4, false, BUDGET);
        String big = UNIT.repeat(5_300_000);
        bigUtf8 = big.getBytes(StandardCharsets.UTF_8);
        assertThat(bigUtf8.length).isGreaterThan(100_000_000);
        String id = newId();
        publish(store, id, 1, COLUMNS, List.<Object[]>of(new Object[] {0L, big, "after"}, new Object[] {1L, "x", "y"}));
        ByteArrayOutputStream expected = new ByteArrayOutputStream(bigUtf8.length + 1024);
        expected.writeBytes("\"n\",\"big\",\"s\"\n\"0\",\"".getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(big.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
        expected.writeBytes("\",\"after\"\n\"1\",\"x\",\"y\"\n".getBytes(StandardCharsets.UTF_8));
        csv = expected.toByteArray();
        reader = open(store, id, 1);

        String smallId = newId();
        publish(store, smallId, 1, COLUMNS, List.<Object[]>of(new Object[] {0L, UNIT.repeat(10_000), "after"}));
        small = open(store, smallId, 1);
    }

    @Test
    void aPageOfAHugeValueAllocatesAboutThePageBudget() throws IOException {
        small.page(0, 10); // loads the classes involved, so only the read itself is measured
        long before = allocatedBytes();
        ResultPage page = reader.page(0, 10);
        long allocated = allocatedBytes() - before;

        assertThat(allocated).isLessThan(2L * BUDGET.maxPageBytes());
        assertThat(page.rowsJson()).hasSize(2);
        String shown = (String) parseRow(page.rowsJson().get(0)).get(1);
        assertThat(shown).isEqualTo(utf8Prefix(UNIT.repeat(4000), BUDGET.maxValueBytes()));
        assertThat(page.truncatedCells()).containsExactly(new TruncatedCell(0, 1, bigUtf8.length));
        assertThat(parseRow(page.rowsJson().get(0)).get(2)).isEqualTo("after");
    }

    @Test
    void theWholeValueStreamsThroughSmallBuffers() throws IOException {
        Results.value(small, 0, 1);
        Comparing out = new Comparing(bigUtf8);
        long before = allocatedBytes();
        ValueKind kind = reader.writeValue(0, 1, k -> out);
        long allocated = allocatedBytes() - before;

        assertThat(kind).isEqualTo(ValueKind.STRING);
        assertThat(out.matchedAll()).isTrue();
        assertThat(allocated).isLessThan(BUDGET.maxPageBytes());
    }

    @Test
    void theCsvDownloadStreamsThroughSmallBuffers() throws IOException {
        Results.csv(small);
        Comparing out = new Comparing(csv);
        long before = allocatedBytes();
        reader.writeCsv(out);
        long allocated = allocatedBytes() - before;

        assertThat(out.matchedAll()).isTrue();
        assertThat(allocated).isLessThan(BUDGET.maxPageBytes());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Checks what is written against the expected bytes as it comes, keeping nothing. */
    private static final class Comparing extends OutputStream {
        private final byte[] expected;
        private int position;
        private boolean mismatch;

        Comparing(byte[] expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) {
            mismatch |= position >= expected.length || expected[position] != (byte) b;
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        boolean matchedAll() {
            return !mismatch && position == expected.length;
        }
    }
}
