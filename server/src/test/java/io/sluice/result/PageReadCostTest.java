package io.sluice.result;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numbered;
import static io.sluice.result.Results.numberedJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading page N costs the same for any N: counted in bytes read from the files, a page reads the
 * index entry for its rows, at most one index stride of rows before them, its own rows and one
 * read buffer — never the rows of the pages before it.
 */
class PageReadCostTest {

    private static final long ROWS = 300_000;
    private static final int STRIDE = FolderResultStore.DEFAULT_INDEX_STRIDE;
    private static final int LIMIT = 1000;
    /** The longest row: {@code [299999,"row-299999"]}. */
    private static final int MAX_ROW_BYTES = numberedJson(ROWS - 1).length() + 1;

    @TempDir
    static Path root;
    static final Map<String, Reads> reads = new ConcurrentHashMap<>();
    static FolderResultStore store;
    static String id;
    static long dataFileBytes;

    @BeforeAll
    static void writeALargeResult() throws IOException {
        store = new FolderResultStore(root, STRIDE, false,
                file -> new CountingChannel(FileChannel.open(file, StandardOpenOption.READ),
                        reads.computeIfAbsent(file.getFileName().toString(), k -> new Reads())));
        id = newId();
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(columns("n", "bigint", "s", "varchar"));
            for (long i = 0; i < ROWS; i++) {
                writer.row(numbered(i));
            }
            dataFileBytes = writer.publish().bytes();
        }
    }

    @Test
    void theLastPageReadsNoMoreThanTheFirst() throws IOException {
        PageReads first = readPage(0);
        PageReads last = readPage(ROWS - LIMIT);
        PageReads middle = readPage(ROWS / 2 + 77);

        long bound = (long) (STRIDE + LIMIT) * MAX_ROW_BYTES + ResultFileReader.PAGE_BUFFER_BYTES;
        for (PageReads page : new PageReads[]{first, middle, last}) {
            assertThat(page.dataBytes()).isLessThanOrEqualTo(bound);
            assertThat(page.indexBytes()).isEqualTo(RowIndex.HEADER_BYTES + Long.BYTES);
        }
        assertThat(last.dataBytes()).isLessThanOrEqualTo(first.dataBytes() + (long) STRIDE * MAX_ROW_BYTES);
        // The last page starts reading within one stride of its first row, near the end of the file.
        long lastPageStart = dataFileBytes - (long) LIMIT * MAX_ROW_BYTES;
        assertThat(last.lowestDataPosition()).isGreaterThanOrEqualTo(lastPageStart - (long) STRIDE * MAX_ROW_BYTES);
        assertThat(bound).as("the bound is far below the file").isLessThan(dataFileBytes / 20);
    }

    @Test
    void pagesAreStillCorrectWhileCounted() throws IOException {
        ResultPage page = store.open(id, 1).orElseThrow().page(ROWS - 2, LIMIT);
        assertThat(page.rowsJson()).containsExactly(numberedJson(ROWS - 2), numberedJson(ROWS - 1));
    }

    /** What reading one page read: bytes of rows.jsonl, bytes of rows.idx, the lowest row data position. */
    record PageReads(long dataBytes, long indexBytes, long lowestDataPosition) {
    }

    private static PageReads readPage(long offset) throws IOException {
        reads.clear();
        ResultPage page = store.open(id, 1).orElseThrow().page(offset, LIMIT);
        assertThat(page.rowsJson().get(0)).isEqualTo(numberedJson(offset));
        Reads data = reads.getOrDefault(ResultFiles.DATA_FILE, new Reads());
        Reads index = reads.getOrDefault(ResultFiles.INDEX_FILE, new Reads());
        return new PageReads(data.bytes.get(), index.bytes.get(), data.lowest.get());
    }

    /** What was read from one file. */
    static final class Reads {
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);

        void read(long position, int n) {
            if (n > 0) {
                bytes.addAndGet(n);
                lowest.accumulateAndGet(position, Math::min);
            }
        }
    }

    /** A read-only file channel that counts what is read through it. */
    static final class CountingChannel extends FileChannel {
        private final FileChannel delegate;
        private final Reads reads;

        CountingChannel(FileChannel delegate, Reads reads) {
            this.delegate = delegate;
            this.reads = reads;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            long position = delegate.position();
            int n = delegate.read(dst);
            reads.read(position, n);
            return n;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            int n = delegate.read(dst, position);
            reads.read(position, n);
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("not used by the reader");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("a mapped read could not be counted");
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException("a transfer could not be counted");
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
